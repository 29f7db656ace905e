/**
 * `npm run bench:face-frames [-- --runs 3]`
 * What faces_enroll_match costs per analysis frame, side by side in one run on real talking heads
 * (the GRID clips in test/fixtures/realmedia/faces, frames from the pipeline's own decode pass):
 *   before: every face of every frame detected AND described (descriptor + expressions), as the
 *           stage did until tracks reused descriptors (FaceEngine.detect);
 *   after:  every frame's faces found (box, landmarks) and only a track's first face and clearly
 *           better ones described (findFaces + FaceTracker, as the stage does now).
 * Also, as the floor, finding alone. The three take turns clip by clip so that load from other
 * processes hits all alike. Medians of the per-clip ms per frame over `runs` rounds.
 */
import { FaceTracker } from '@heimdex/faces';
import { resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { FaceApiEngine } from '@heimdex/ml';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gridRecordings } from './lib/grid-speakers';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const engine = await FaceApiEngine.create();
  const clips: { name: string; frames: { timeS: number; image: Buffer }[] }[] = [];
  for (const r of gridRecordings()) {
    const pass = await runScenePass(bins, r.path, mkdtempSync(join(tmpdir(), 'heimdex-bench-faces-')), { framesPerSecond: 2, maxFrameSide: 1280 });
    clips.push({ name: r.name, frames: pass.frames.map((f) => ({ timeS: f.timeS, image: readFileSync(f.path) })) });
  }
  // Warm-up: the first inference of each net compiles its kernels.
  await engine.detect(clips[0].frames[0].image);

  const before: number[] = [];
  const after: number[] = [];
  const findOnly: number[] = [];
  let [describedBefore, describedAfter, faces] = [0, 0, 0];
  for (let run = 0; run < runs; run++) {
    for (const [i, clip] of clips.entries()) {
      const old = async () => {
        const t = performance.now();
        for (const f of clip.frames) describedBefore += (await engine.detect(f.image)).length;
        before.push((performance.now() - t) / clip.frames.length);
      };
      const now = async () => {
        const t = performance.now();
        const tracker = new FaceTracker(engine, { threshold: 0.945, followThreshold: 0.85 });
        for (const f of clip.frames) await tracker.addFrame(f.timeS, f.image, await engine.findFaces(f.image));
        after.push((performance.now() - t) / clip.frames.length);
        describedAfter += tracker.counts.described;
        faces += tracker.counts.faces;
      };
      const find = async () => {
        const t = performance.now();
        for (const f of clip.frames) await engine.findFaces(f.image);
        findOnly.push((performance.now() - t) / clip.frames.length);
      };
      const order = [old, now, find];
      for (let k = 0; k < order.length; k++) await order[(i + run + k) % order.length]();
    }
  }
  const frames = clips.reduce((n, c) => n + c.frames.length, 0);
  console.log(`\n${clips.length} GRID clips, ${frames} analysis frames, ${faces / runs} faces; ${runs} rounds, old, new and find-only taking turns per clip\n`);
  console.log('way                                          median ms/frame  min   max   descriptors per round');
  const row = (what: string, ms: number[], described: number) => {
    const s = [...ms].sort((a, b) => a - b);
    console.log(
      `${what.padEnd(44)} ${median(s).toFixed(0).padStart(15)} ${s[0].toFixed(0).padStart(5)} ${s[s.length - 1].toFixed(0).padStart(5)}   ${described / runs}`,
    );
  };
  row('before: detect + describe every face', before, describedBefore);
  row('after: find every face, describe new/better', after, describedAfter);
  row('floor: find every face, describe none', findOnly, 0);
  process.exit(0);
}

function median(sorted: number[]): number {
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
