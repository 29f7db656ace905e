/**
 * `npm run bench:face-gate [-- --video <file>] [--fps 1] [--sets grid,demo,film,video]`
 * Whether a BlazeFace gate (blazeface-gate.ts) may skip the SSD face detector on a frame: every
 * face SSD finds must lie on a frame the gate passes. Sets: the GRID talking heads
 * (test/fixtures/realmedia/faces), face-api's demo photos (as is and letterboxed into a 1280x720
 * frame), the real film clips (test/fixtures/realmedia/film) and, with --video, a programme's
 * frames (bench:pipeline's render has no faces: what the gate saves). Prints per set and tiling the
 * lowest gate score of a frame with SSD faces, the frames and SSD faces kept at each threshold,
 * and ms/frame of SSD and of each gate. A face "kept" lies on a frame the gate passes: SSD gives
 * the same faces there with the gate as without.
 */
import { resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { BlazeFaceGate, BUNDLED_BLAZEFACE_FRONT, DEFAULT_FACE_GATES, decodeRgb, FaceApiEngine } from '@heimdex/ml';
import { findProjectRoot } from '@heimdex/config';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEMO_IMAGES, demoPath } from './lib/face-demo';
import { gridRecordings } from './lib/grid-speakers';

const TILINGS = [
  ['back', 1, 1],
  ['back', 2, 1],
  ['front', 1, 1],
  ['front', 2, 1],
  ['front', 3, 2],
] as const;
const THRESHOLDS = [0.05, 0.1, 0.2, 0.3, 0.5];
/** Each default gate as [its column in TILINGS, its threshold]. */
const DEFAULT_GATE_COLUMNS = DEFAULT_FACE_GATES.map((g): [number, number] => {
  const model = g.modelPath === BUNDLED_BLAZEFACE_FRONT ? 'front' : 'back';
  const i = TILINGS.findIndex(([m, c, r]) => m === model && c === g.cols && r === g.rows);
  if (i < 0) throw new Error(`no tiling measured for the default gate ${model} ${g.cols}x${g.rows}`);
  return [i, g.minScore];
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { video: { type: 'string' }, fps: { type: 'string', default: '1' }, sets: { type: 'string', default: 'grid,demo,film,video' } },
  });
  const fps = Number(values.fps);
  const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const framesOf = async (path: string, rate: number) => {
    const pass = await runScenePass(bins, path, mkdtempSync(join(tmpdir(), 'heimdex-bench-gate-')), { framesPerSecond: rate, maxFrameSide: 1280 });
    return pass.frames.map((f) => readFileSync(f.path));
  };
  const only = new Set(values.sets.split(','));
  const sets: { name: string; frames: Buffer[] }[] = [];
  if (only.has('grid')) sets.push({ name: 'GRID talking heads (2 fps)', frames: (await Promise.all(gridRecordings().map((r) => framesOf(r.path, 2)))).flat() });
  const photos: Buffer[] = [];
  for (const image of DEMO_IMAGES) {
    photos.push(await sharp(demoPath(image)).toBuffer());
    const { width = 1, height = 1 } = await sharp(demoPath(image)).metadata();
    const scale = Math.min(1280 / width, 720 / height);
    const [w, h] = [Math.round(width * scale), Math.round(height * scale)];
    const [dx, dy] = [Math.floor((1280 - w) / 2), Math.floor((720 - h) / 2)];
    photos.push(
      await sharp(demoPath(image))
        .resize(w, h)
        .extend({ left: dx, right: 1280 - w - dx, top: dy, bottom: 720 - h - dy, background: '#000000' })
        .jpeg({ quality: 75 })
        .toBuffer(),
    );
  }
  if (only.has('demo')) sets.push({ name: 'face-api demo photos (as is + 1280x720)', frames: photos });
  // Wide shots: each demo photo tiled 2x2 and 3x3 into a 1280x720 frame, so its faces are a half and a third the size.
  const small: Buffer[] = [];
  for (const n of [2, 3]) {
    for (const image of DEMO_IMAGES) {
      const tile = await sharp(demoPath(image))
        .resize(Math.floor(1280 / n), Math.floor(720 / n), { fit: 'contain', background: '#000000' })
        .toBuffer();
      const composites = Array.from({ length: n * n }, (_, i) => ({
        input: tile,
        left: (i % n) * Math.floor(1280 / n),
        top: Math.floor(i / n) * Math.floor(720 / n),
      }));
      small.push(
        await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#000000' } })
          .composite(composites)
          .jpeg({ quality: 75 })
          .toBuffer(),
      );
    }
  }
  if (only.has('small')) sets.push({ name: 'demo photos tiled 2x2 and 3x3 in 1280x720 (small faces)', frames: small });
  const filmDir = join(findProjectRoot(), 'test/fixtures/realmedia/film');
  for (const file of (only.has('film') ? readdirSync(filmDir) : []).filter((f) => /\.(mp4|mkv|webm)$/.test(f))) {
    sets.push({ name: `film ${file} (${fps} fps)`, frames: await framesOf(join(filmDir, file), fps) });
  }
  if (values.video && only.has('video')) sets.push({ name: `programme ${values.video} (${fps} fps)`, frames: await framesOf(values.video, fps) });

  const ssd = await FaceApiEngine.create();
  const gates = await Promise.all(
    TILINGS.map(([model, cols, rows]) =>
      BlazeFaceGate.create({ minScore: 0.5, cols, rows, modelPath: model === 'front' ? BUNDLED_BLAZEFACE_FRONT : undefined }),
    ),
  );
  await ssd.findFaces(sets[0].frames[0]);
  for (const g of gates) await g.score(await decodeRgb(sets[0].frames[0]));

  const ssdMs: number[] = [];
  const gateMs = gates.map(() => [] as number[]);
  for (const set of sets) {
    const rows: { faces: number; scores: number[] }[] = [];
    for (const frame of set.frames) {
      let t = performance.now();
      const faces = (await ssd.findFaces(frame)).length;
      ssdMs.push(performance.now() - t);
      const rgb = await decodeRgb(frame);
      const scores: number[] = [];
      for (const [i, g] of gates.entries()) {
        t = performance.now();
        scores.push(await g.score(rgb));
        gateMs[i].push(performance.now() - t);
      }
      rows.push({ faces, scores });
    }
    const faces = rows.reduce((n, r) => n + r.faces, 0);
    const withFaces = rows.filter((r) => r.faces > 0).length;
    console.log(`\n${set.name}: ${rows.length} frames, ${withFaces} with SSD faces, ${faces} SSD faces`);
    console.log(`gate        lowest on a face frame  ${THRESHOLDS.map((t) => `@${t}: SSD faces kept, frames skipped`.padEnd(40)).join('')}`);
    for (const [i, [model, cols, rows_]] of TILINGS.entries()) {
      const lowest = withFaces ? Math.min(...rows.filter((r) => r.faces > 0).map((r) => r.scores[i])).toFixed(3) : 'n/a';
      const cells = THRESHOLDS.map((th) => {
        const kept = rows.filter((r) => r.scores[i] >= th).reduce((n, r) => n + r.faces, 0);
        const skipped = rows.filter((r) => r.scores[i] < th).length;
        return `${kept}/${faces}, ${skipped}/${rows.length}`.padEnd(40);
      });
      console.log(`${model} ${cols}x${rows_}`.padEnd(12) + `${lowest.padEnd(24)}${cells.join('')}`);
    }
    const passes = (r: { scores: number[] }) => DEFAULT_GATE_COLUMNS.some(([i, minScore]) => r.scores[i] >= minScore);
    const kept = rows.filter(passes).reduce((n, r) => n + r.faces, 0);
    console.log(
      `default gate (${DEFAULT_GATE_COLUMNS.map(([i, m]) => `${TILINGS[i].join(' ')} @${m}`).join(' or ')}): ${kept}/${faces} SSD faces kept, ${rows.length - rows.filter(passes).length}/${rows.length} frames skipped`,
    );
  }
  console.log(`\nms/frame score every tile; the pipeline's gate stops at the first passing one`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `median ms/frame: SSD find ${median(ssdMs).toFixed(0)}; ${TILINGS.map(([m, c, r], i) => `gate ${m} ${c}x${r} ${median(gateMs[i]).toFixed(1)}`).join('; ')}`,
  );
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
