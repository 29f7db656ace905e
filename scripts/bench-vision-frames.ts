/**
 * `npm run bench:vision-frames [-- --runs 2 --max-frames 24]`
 * What one analysis frame costs per visual model, side by side in one run, on the frames the worker
 * would analyse: each film clip in test/fixtures/realmedia/film goes through the scene pass with the
 * configured SCENE_* / FRAME_* settings (as scene_detect runs it, at most 1280 px a side), and the frames
 * its scenes keep (framesOfScenes) are what every model reads. Per model: OCR (the stage's stepwise
 * reader, one per scene), faces (finding faces: the per-frame part of faces_enroll_match), objects
 * (CenterNet), moderation (nsfwjs MobileNetV2 rewritten for onnxruntime as the worker loads it, and
 * as nsfwjs ships it on tfjs), CLIP image embedding when a CLIP model is installed. The models take turns
 * frame by frame so that load from other processes hits all alike. Median, min and max ms per frame
 * over every frame of every run.
 */
import 'reflect-metadata';
import { findProjectRoot, loadConfig } from '@heimdex/config';
import { planScenes, resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import {
  CenterNetDetector,
  decodeRgb,
  FaceApiEngine,
  loadClip,
  loadOcr,
  ModelRegistry,
  NsfwClassifier,
  OcrEngine,
  StepwiseFrameReader,
  stepwiseOcr,
} from '@heimdex/ml';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { framesOfScenes } from '../apps/worker/src/stages/scene-detect.stage';
import { nsfwjsAsShipped } from './lib/nsfwjs-as-shipped';

const VIDEO = /\.(mp4|webm|mkv|mov|mpg)$/i;

interface Clip {
  name: string;
  /** Each scene's frames (JPEG), as the visual stages load them. */
  scenes: Buffer[][];
}

/** A model's work on one frame; a new one per scene (OCR's stepwise reader keeps what it read in the scene). */
type SceneReader = () => (frame: Buffer) => Promise<unknown>;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '2' }, 'max-frames': { type: 'string', default: '24' } } });
  const runs = Number(values.runs);
  const maxFrames = Number(values['max-frames']);
  const config = loadConfig();
  const bins = resolveFfmpegBinaries(config.media);
  const s = config.scenes;

  const film = join(findProjectRoot(), 'test/fixtures/realmedia/film');
  const clips: Clip[] = [];
  for (const file of readdirSync(film)
    .filter((f) => VIDEO.test(f))
    .sort()) {
    const pass = await runScenePass(bins, join(film, file), mkdtempSync(join(tmpdir(), 'heimdex-bench-vision-')), {
      cutThreshold: s.cutThreshold,
      decodeFps: s.decodeFps,
      framesPerSecond: s.sampleFps,
      duplicateBelow: s.duplicateBelow,
      forceEveryS: Math.min(10, s.maxS / 3),
      maxFrameSide: 1280,
    });
    const spans = planScenes(pass.cuts, pass.durationS, { minS: s.minS, maxS: s.maxS });
    // A frame a scene borrows (it kept none of its own) is read again for that scene, as the stages do.
    let left = maxFrames;
    const scenes = framesOfScenes(spans, pass.frames)
      .map((frames) => frames.slice(0, Math.max(0, left)).map((f) => (left--, readFileSync(f.path))))
      .filter((frames) => frames.length);
    clips.push({ name: file, scenes });
  }

  const models = new Map<string, SceneReader>();
  const ocr = await loadOcr(config);
  if (ocr.available) models.set(`OCR (${ocr.engine.model.name})`, ocrReader(ocr.engine));
  const faces = await FaceApiEngine.create();
  models.set(`faces (${faces.model.name}, find)`, () => (f) => faces.findFaces(f));
  const objects = await CenterNetDetector.create();
  models.set(`objects (${objects.model.name})`, () => (f) => objects.detect(f));
  const moderation = await NsfwClassifier.create();
  models.set(`moderation (nsfwjs, onnxruntime)`, () => (f) => moderation.classify(f));
  const asShipped = await nsfwjsAsShipped();
  models.set(`moderation (nsfwjs as shipped, tfjs)`, () => (f) => asShipped.classify(f));
  const clip = await loadClip(config, await ModelRegistry.load(config.modelDir));
  if (clip.available) models.set(`CLIP (${clip.engine.model.name})`, () => (f) => clip.engine.embedImages([f]));
  else console.log(`CLIP: not measured (${clip.reason})`);

  // Warm-up: the first inference of each model compiles its kernels.
  for (const reader of models.values()) await reader()(clips[0].scenes[0][0]);

  const ms = new Map<string, number[]>([...models.keys()].map((k) => [k, []]));
  const entries = [...models.entries()];
  let turn = 0;
  for (let run = 0; run < runs; run++) {
    for (const c of clips) {
      for (const scene of c.scenes) {
        const readers = entries.map(([name, reader]) => [name, reader()] as const);
        for (const frame of scene) {
          turn++;
          for (let k = 0; k < readers.length; k++) {
            const [name, read] = readers[(turn + k) % readers.length];
            const t = performance.now();
            await read(frame);
            ms.get(name)!.push(performance.now() - t);
          }
        }
      }
    }
  }

  const frames = clips.reduce((n, c) => n + c.scenes.reduce((m, sc) => m + sc.length, 0), 0);
  console.log(
    `\n${clips.map((c) => c.name).join(', ')}: ${frames} analysis frames (at most ${maxFrames} a clip); ${runs} run(s), models taking turns frame by frame\n`,
  );
  console.log('model                                               median ms/frame    min    max');
  for (const [name, times] of ms) {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `${name.padEnd(52)} ${median(sorted).toFixed(1).padStart(15)} ${sorted[0].toFixed(0).padStart(6)} ${sorted[sorted.length - 1].toFixed(0).padStart(6)}`,
    );
  }
  process.exit(0);
}

/** As vision_sample_frames reads a scene: one stepwise reader per scene when the engine allows it, else whole frames. */
function ocrReader(engine: OcrEngine): SceneReader {
  const stepwise = stepwiseOcr(engine);
  if (!stepwise) return () => (f) => engine.read(f);
  return () => {
    const reader = new StepwiseFrameReader(stepwise);
    return async (f) => reader.read(await decodeRgb(f));
  };
}

function median(sorted: number[]): number {
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
