/**
 * `npm run bench:ocr [-- --sides 1280:640,960:640,896:640 --fps 2,4 --small-sizes 12,14,16,20,24 --no-old --unfolded]`
 * On-screen text, old engine vs new, on the same frames in one run:
 *  - old: PP-OCRv4 through @gutenye/ocr-node (detection + recognition + OpenCV line splitter in one call);
 *  - new: the same two ONNX models called directly (PpOcrEngine.read), at each detection size in `sides`
 *    (maxSide:minSide);
 *  - new stepwise: as the vision_sample_frames stage reads a scene (StepwiseFrameReader: detection
 *    only where the frame changed, recognition only of new or changed boxes);
 *  - with --unfolded, each size also with the models as shipped (their scale-and-shift blocks not
 *    folded into the convolutions at load), taking turns with the folded engine set by set.
 * Frame sets: the 320x180 title card (fading title + small credit over a real photo, slow push-in)
 * decoded by the scene pass at each rate in `fps`, and 1280x720 frames of the real photos in
 * /work/shared/realmedia/objects (or --photos DIR) with a lower-third caption and a clock that
 * changes every frame, and captions 12 to 24 px high on the same photos (the detection size decides
 * whether they are found). Prints median ms per frame, recall of the texts drawn (after the stage's
 * cleaning, spanOcrLines) and agreement with the old engine (frames whose lines read the same).
 */
import { resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { decodeRgb, FrameOcrCost, normaliseOcrText, OcrEngine, PpOcrEngine, spanOcrLines, StepwiseFrameReader, textSimilarity } from '@heimdex/ml';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { demoPath } from './lib/face-demo';
import { TEST_FONT } from './lib/media';
import { renderTitleCard } from './lib/title-card';
import { loadOldOcr } from './lib/old-ocr';

interface FrameSet {
  name: string;
  /** Frames of one scene each, in time order. */
  scenes: { timeS: number; image: Buffer }[][];
  expected: string[];
}

interface Row {
  set: string;
  engine: string;
  msPerFrame: number[];
  recall: string;
  agreement: string;
  note: string;
}

type Reading = { text: string; confidence: number; frameS: number }[];

const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });

async function titleCardSets(dir: string, rates: number[]): Promise<FrameSet[]> {
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
  const sets: FrameSet[] = [];
  for (const fps of rates) {
    const pass = await runScenePass(bins, file, mkdtempSync(join(dir, 'frames-')), { framesPerSecond: fps, maxFrameSide: 1280 });
    const frames = pass.frames.map((f) => ({ timeS: f.timeS, image: readFileSync(f.path) }));
    sets.push({ name: `title card 320x180 @${fps} fps`, scenes: [frames], expected: ['Evening Harbour', 'an open movie by the Harbour Studio'] });
  }
  return sets;
}

/** A photo filled into 1280x720 with drawtext filters on it, written as one JPEG. */
function photoFrame(photo: string, draw: string, out: string, quality: number): void {
  const vf = `scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,${draw}`;
  execFileSync(bins.ffmpeg, ['-y', '-v', 'error', '-i', photo, '-vf', vf, '-q:v', String(quality), '-frames:v', '1', out]);
}

/** Each photo as a 4-frame 720p scene: a static caption and a clock that changes every frame. */
function photoSet(dir: string, photosDir: string): FrameSet | null {
  if (!existsSync(photosDir)) return null;
  const photos = readdirSync(photosDir).filter((f) => /\.(jpe?g|png)$/i.test(f));
  const scenes: FrameSet['scenes'] = [];
  const expected: string[] = [];
  for (const [p, photo] of photos.entries()) {
    const caption = `Field report ${p + 1} from the north camp`;
    expected.push(caption);
    const frames = [];
    for (let i = 0; i < 4; i++) {
      const out = join(dir, `photo-${p}-${i}.jpg`);
      const draw = [
        `drawtext=fontfile=${TEST_FONT}:text='${caption}':fontsize=36:fontcolor=white:box=1:boxcolor=black@0.5:x=60:y=h-110`,
        `drawtext=fontfile=${TEST_FONT}:text='10\\:4${i}':fontsize=28:fontcolor=yellow:x=w-140:y=40`,
      ].join(',');
      photoFrame(join(photosDir, photo), draw, out, 3);
      frames.push({ timeS: i * 0.5, image: readFileSync(out) });
    }
    scenes.push(frames);
  }
  return { name: `${photos.length} real photos 1280x720, 4 frames each`, scenes, expected };
}

/** Small text at 720p: one caption per photo at each font size (px), scenes of one frame, placed at a different spot on each photo. */
function smallTextSets(dir: string, photosDir: string, sizes: number[]): FrameSet[] {
  if (!existsSync(photosDir)) return [];
  const photos = readdirSync(photosDir).filter((f) => /\.(jpe?g|png)$/i.test(f));
  return sizes.map((size) => {
    const expected = photos.map((_, p) => SMALL_CAPTIONS[p % SMALL_CAPTIONS.length]);
    const scenes = photos.map((photo, p) => {
      const out = join(dir, `small-${size}-${p}.jpg`);
      const draw = `drawtext=fontfile=${TEST_FONT}:text='${expected[p]}':fontsize=${size}:fontcolor=white:borderw=1:bordercolor=black:x=${80 + p * 60}:y=${120 + p * 90}`;
      photoFrame(join(photosDir, photo), draw, out, 2);
      return [{ timeS: 0, image: readFileSync(out) }];
    });
    return { name: `${size} px captions on ${photos.length} real photos 1280x720`, scenes, expected };
  });
}

const SMALL_CAPTIONS = [
  'Field report from the north camp',
  'Harbour lights at dawn',
  'Meeting notes 42 and 17',
  'Station 9 weather update',
  'Open call for new members',
  'Quarterly review of sales',
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function found(lines: Reading, expected: string): boolean {
  const want = normaliseOcrText(expected).toLowerCase();
  return spanOcrLines(lines).some((l) => textSimilarity(normaliseOcrText(l.text).toLowerCase(), want) >= 0.85);
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t, i) => textSimilarity(normaliseOcrText(t).toLowerCase(), normaliseOcrText(b[i]).toLowerCase()) >= 0.9);
}

async function readWhole(engine: OcrEngine, set: FrameSet): Promise<{ ms: number[]; perFrame: string[][]; lines: Reading }> {
  const ms: number[] = [];
  const perFrame: string[][] = [];
  const lines: Reading = [];
  for (const scene of set.scenes) {
    for (const f of scene) {
      const t = performance.now();
      const read = await engine.read(f.image);
      ms.push(performance.now() - t);
      perFrame.push(read.map((l) => l.text));
      for (const l of read) lines.push({ text: l.text, confidence: l.confidence, frameS: f.timeS });
    }
  }
  return { ms, perFrame, lines };
}

async function readStepwise(engine: PpOcrEngine, set: FrameSet): Promise<{ ms: number[]; perFrame: string[][]; lines: Reading; costs: FrameOcrCost[] }> {
  const ms: number[] = [];
  const perFrame: string[][] = [];
  const lines: Reading = [];
  const costs: FrameOcrCost[] = [];
  for (const scene of set.scenes) {
    const reader = new StepwiseFrameReader(engine);
    for (const f of scene) {
      const t = performance.now();
      const { lines: read, cost } = await reader.read(await decodeRgb(f.image));
      ms.push(performance.now() - t);
      costs.push(cost);
      perFrame.push(read.map((l) => l.text));
      for (const l of read) lines.push({ text: l.text, confidence: l.confidence, frameS: f.timeS });
    }
  }
  return { ms, perFrame, lines, costs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sides: { type: 'string', default: '1280:640,960:640,896:640' },
      'small-sizes': { type: 'string', default: '12,14,16,20,24' },
      fps: { type: 'string', default: '2,4' },
      photos: { type: 'string', default: '/work/shared/realmedia/objects' },
      'no-old': { type: 'boolean', default: false },
      unfolded: { type: 'boolean', default: false },
    },
  });
  const threads = 1;
  const dir = mkdtempSync(join(tmpdir(), 'heimdex-bench-ocr-'));
  const sets = [
    ...(await titleCardSets(dir, values.fps.split(',').map(Number))),
    photoSet(dir, values.photos),
    ...smallTextSets(dir, values.photos, values['small-sizes'].split(',').map(Number)),
  ].filter((s): s is FrameSet => s !== null);
  const sides = values.sides.split(',').map((s) => s.split(':').map(Number) as [number, number]);
  const old = values['no-old'] ? null : await loadOldOcr(threads);
  const folds = values.unfolded ? [true, false] : [true];
  const engines = await Promise.all(
    sides.flatMap(([maxSide, minSide]) =>
      folds.map(async (foldAffineBlocks) => ({
        label: `${maxSide}:${minSide}${foldAffineBlocks ? '' : ' unfolded'}`,
        engine: await PpOcrEngine.create({ threads, maxSide, minSide, foldAffineBlocks }),
      })),
    ),
  );

  console.log(`\nOCR, one ONNX thread per session, medians over frames (machine load varies: compare rows of one run)\n`);
  console.log(`${'frames'.padEnd(40)} ${'engine (maxSide:minSide)'.padEnd(34)} ${'ms/frame'.padStart(9)} ${'total s'.padStart(8)}  recall  agree   note`);
  for (const set of sets) {
    const frames = set.scenes.reduce((n, s) => n + s.length, 0);
    const recall = (lines: Reading) => `${set.expected.filter((e) => found(lines, e)).length}/${set.expected.length}`;
    const reference = old ? await readWhole(old, set) : null;
    if (reference)
      printRow({
        set: set.name,
        engine: 'old @gutenye/ocr-node 1280:640',
        msPerFrame: reference.ms,
        recall: recall(reference.lines),
        agreement: '-',
        note: `${frames} frames`,
      });
    const agree = (perFrame: string[][]) => (reference ? `${perFrame.filter((p, i) => sameLines(p, reference.perFrame[i])).length}/${frames}` : '-');
    for (const { label, engine } of engines) {
      const whole = await readWhole(engine, set);
      printRow({ set: set.name, engine: `new read ${label}`, msPerFrame: whole.ms, recall: recall(whole.lines), agreement: agree(whole.perFrame), note: '' });
      const step = await readStepwise(engine, set);
      const sum = (f: (c: FrameOcrCost) => number) => step.costs.reduce((n, c) => n + f(c), 0);
      const perBox = step.costs.filter((c) => c.recognised).map((c) => c.recogniseMs / c.recognised);
      printRow({
        set: set.name,
        engine: `new stepwise ${label}`,
        msPerFrame: step.ms,
        recall: recall(step.lines),
        agreement: agree(step.perFrame),
        note: `det on ${Math.round((100 * sum((c) => c.detectedShare)) / step.costs.length)}% of area; boxes ${sum((c) => c.boxes)}: ${sum((c) => c.recognised)} recognised, ${sum((c) => c.reused)} reused; det ${median(step.costs.map((c) => c.detectMs)).toFixed(0)} ms/frame, rec ${perBox.length ? median(perBox).toFixed(0) : '-'} ms/box`,
      });
    }
  }
}

function printRow(r: Row): void {
  const total = r.msPerFrame.reduce((a, b) => a + b, 0) / 1000;
  console.log(
    `${r.set.padEnd(40)} ${r.engine.padEnd(34)} ${median(r.msPerFrame).toFixed(0).padStart(9)} ${total.toFixed(1).padStart(8)}  ${r.recall.padEnd(6)}  ${r.agreement.padEnd(6)}  ${r.note}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
