import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOcr } from '../../libs/ml/src/ocr/load-ocr';
import { stepwiseOcr } from '../../libs/ml/src/ocr/stepwise-frame-reader';
import { testConfig } from '../helpers/test-config';

const ffmpeg = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
const dir = mkdtempSync(join(tmpdir(), 'heimdex-tesseract-'));

/** Whether Debian's tesseract-ocr with its English pack is here (.ci/run installs it); the reading test needs it. */
function tesseractHere(): boolean {
  try {
    return execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .includes('eng');
  } catch {
    return false;
  }
}

const here = tesseractHere();
if (!here) console.warn('tesseract-ocr (with eng) is not installed: the tesseract reading tests are skipped');
// Skipped only where Debian's tesseract-ocr with its English pack is missing (these tests read with it); .ci/run installs both.
const itWithTesseract = here ? it : it.skip;

describe('OCR_ENGINE=tesseract', () => {
  it('is unavailable, saying the binary is missing and which package gives it', async () => {
    const binary = join(dir, 'no-tesseract-here');
    const loaded = await loadOcr(testConfig({ OCR_ENGINE: 'tesseract' }), { tesseractBinary: binary });
    expect(loaded).toEqual({ available: false, reason: `OCR_ENGINE=tesseract: ${binary} not found (install Debian's tesseract-ocr)` });
  });

  itWithTesseract('names a missing language pack and its Debian package', async () => {
    const loaded = await loadOcr(testConfig({ OCR_ENGINE: 'tesseract', OCR_TESSERACT_LANGS: 'eng+xyz' }));
    expect(loaded).toEqual({ available: false, reason: 'OCR_ENGINE=tesseract: tesseract has no language pack for xyz (install tesseract-ocr-xyz)' });
  });

  itWithTesseract('reads the lines of a generated frame, with boxes where they were drawn', async () => {
    const loaded = await loadOcr(testConfig({ OCR_ENGINE: 'tesseract', OCR_TESSERACT_LANGS: 'eng' }));
    if (!loaded.available) throw new Error(loaded.reason);
    expect(loaded.engine.model).toEqual({ name: 'tesseract-eng', version: expect.stringMatching(/^\d+\.\d+/) });
    expect(stepwiseOcr(loaded.engine)).toBeNull();
    const out = join(dir, 'slide.png');
    const draw = [
      "drawtext=text='QUARTERLY SALES REVIEW':fontcolor=white:fontsize=64:x=(w-text_w)/2:y=250",
      "drawtext=text='Revenue up 38 percent in Europe':fontcolor=white:fontsize=40:x=(w-text_w)/2:y=400",
    ].join(',');
    execFileSync(ffmpeg, ['-y', '-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x1e2a3a:s=1280x720', '-frames:v', '1', '-vf', draw, out]);
    const lines = await loaded.engine.read(readFileSync(out));
    expect(lines.map((l) => l.text)).toEqual(['QUARTERLY SALES REVIEW', 'Revenue up 38 percent in Europe']);
    expect(lines[0].box.y).toBeGreaterThan(235);
    expect(lines[0].box.y + lines[0].box.height).toBeLessThan(335);
    expect(lines[1].box.y).toBeGreaterThan(385);
    for (const l of lines) expect(l.confidence).toBeGreaterThan(0.7);
  });
});
