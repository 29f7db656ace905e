import { resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { decodeRgb, PpOcrEngine, spanOcrLines, StepwiseFrameReader } from '@heimdex/ml';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPath } from '../helpers/face-demo';
import { renderTitleCard } from '../../scripts/lib/title-card';

const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });

/**
 * A large title fading in and out inside one shot, and a small credit line before it, at 320x180
 * in MPEG-TS over a real photo with a slow push-in: the decode pass keeps frames while they show,
 * finds no cut, and OCR on the kept frames, read as the stage reads a scene (only new or changed
 * text boxes recognised), reads both lines once each, with when they show.
 */
describe('title card at 320x180 (real ffmpeg, real OCR model)', () => {
  it('reads the fading title and the small credit, each once with the time it shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-title-'));
    const file = renderTitleCard(
      bins.ffmpeg,
      {
        background: demoPath('sample1.jpg'),
        credit: { text: 'an open movie by the Harbour Studio', fromS: 0.5, toS: 2, size: 12 },
        title: { text: 'Evening Harbour', fadeInS: 3, fadeOutS: 5, holdS: 1, size: 30 },
        durationS: 7,
      },
      join(dir, 'title.ts'),
    );
    const pass = await runScenePass(bins, file, mkdtempSync(join(dir, 'frames-')), { framesPerSecond: 2, maxFrameSide: 1280 });
    expect(pass.cuts).toEqual([]);

    const reader = new StepwiseFrameReader(await PpOcrEngine.create());
    const raw: { text: string; confidence: number; frameS: number }[] = [];
    for (const frame of pass.frames) {
      const { lines } = await reader.read(await decodeRgb(readFileSync(frame.path)));
      for (const line of lines) raw.push({ text: line.text, confidence: line.confidence, frameS: frame.timeS });
    }
    const lines = spanOcrLines(raw);
    const title = lines.filter((l) => /evening harbour/i.test(l.text));
    expect(title).toHaveLength(1);
    expect(title[0].startS).toBeGreaterThanOrEqual(3);
    expect(title[0].endS).toBeLessThanOrEqual(6);
    const credit = lines.filter((l) => /harbour studio/i.test(l.text));
    expect(credit).toHaveLength(1);
    expect(credit[0].startS).toBeGreaterThanOrEqual(0.5);
    expect(credit[0].endS).toBeLessThanOrEqual(2);
  }, 300_000);
});
