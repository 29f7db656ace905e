/**
 * `npm run eval:frame-savings [-- <more video files>]`
 * What two of the pipeline's savings cost on real film (test/fixtures/realmedia: Tears of Steel,
 * Big Buck Bunny, Popeye, two GRID talking heads; plus any files given):
 * - the scene pass decoding without non-reference frames (`skipNonReference`): cuts found with and
 *   without it, with every ffmpeg build here, against the film clips' truth.json cuts;
 * - COCO objects only where the scene's picture changed (ModelCadence, as vision_objects runs):
 *   per shot, the labels the detector finds on every analysis frame against those it finds on
 *   the frames the cadence picks, and how many frames that is.
 */
import 'reflect-metadata';
import { bundledFfmpegPath, FfmpegBinaries, ffmpegVersion, ModelCadence, pictureSignature, resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { CenterNetDetector, DetectedObject } from '@heimdex/ml';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sceneObjects } from '../apps/worker/src/stages/scene-objects';
import { scoreCuts } from './real-eval/film-vision';
import { repositoryRoot } from './real-eval/real-eval-set';

const FILM = join(repositoryRoot(), 'test', 'fixtures', 'realmedia', 'film');
const FACES = join(repositoryRoot(), 'test', 'fixtures', 'realmedia', 'faces');

async function scenePass(bins: FfmpegBinaries, file: string, skipNonReference: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'heimdex-frame-savings-'));
  try {
    const pass = await runScenePass(bins, file, dir, { framesPerSecond: 1, maxFrameSide: 1280, skipNonReference });
    return { ...pass, images: pass.frames.map((f) => ({ timeS: f.timeS, image: readFileSync(f.path) })) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const truth = JSON.parse(readFileSync(join(FILM, 'truth.json'), 'utf8')) as { clips: { file: string; cuts?: number[] }[] };
  const videos: { file: string; cuts: number[] | null }[] = [
    ...truth.clips.map((c) => ({ file: join(FILM, c.file), cuts: c.cuts ?? null })),
    ...['bbaf2n.mpg', 'sbia1a.mpg'].map((f) => ({ file: join(FACES, f), cuts: null })),
    ...process.argv.slice(2).map((file) => ({ file, cuts: null })),
  ];
  const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const builds = [...new Set([bins.ffmpeg, bundledFfmpegPath(), '/usr/bin/ffmpeg'])].filter(existsSync).map((ffmpeg) => ({ ...bins, ffmpeg }));

  console.log('Cuts, decoding every frame / without non-reference frames:');
  let differ = 0;
  for (const { file, cuts } of videos) {
    for (const bins of builds) {
      const [all, skipped] = [await scenePass(bins, file, false), await scenePass(bins, file, true)];
      const same = JSON.stringify(all.cuts) === JSON.stringify(skipped.cuts);
      if (!same) differ += 1;
      const score = (found: number[]) => (cuts ? ` (${scoreCuts(cuts, found).hits} of ${cuts.length} true, ${scoreCuts(cuts, found).falseCuts} false)` : '');
      console.log(
        `  ${file.split('/').pop()}, ffmpeg ${ffmpegVersion(bins.ffmpeg)}: [${all.cuts.join(' ')}]${score(all.cuts)} / [${skipped.cuts.join(' ')}]${score(skipped.cuts)}${same ? '' : '  DIFFERENT'}`,
      );
    }
  }
  console.log(`  ${differ} of ${videos.length * builds.length} differ`);

  console.log('\nCOCO objects per shot, every analysis frame / the frames ModelCadence picks:');
  const detector = await CenterNetDetector.create();
  let [framesAll, framesRun, labelsAll, labelsLost] = [0, 0, 0, 0];
  for (const { file } of videos) {
    const pass = await scenePass(bins, file, true);
    const bounds = [0, ...pass.cuts, Infinity];
    for (let s = 0; s + 1 < bounds.length; s++) {
      const frames = pass.images.filter((f) => f.timeS >= bounds[s] && f.timeS < bounds[s + 1]);
      const cadence = new ModelCadence();
      const every: { frameS: number; objects: DetectedObject[] }[] = [];
      const picked: typeof every = [];
      for (const f of frames) {
        const found = { frameS: f.timeS, objects: await detector.detect(f.image) };
        every.push(found);
        if (cadence.due(f.timeS, await pictureSignature(f.image))) picked.push(found);
      }
      const all = sceneObjects(every);
      const kept = new Set(sceneObjects(picked).map((o) => o.label));
      const lost = all.filter((o) => !kept.has(o.label));
      [framesAll, framesRun, labelsAll, labelsLost] = [framesAll + every.length, framesRun + picked.length, labelsAll + all.length, labelsLost + lost.length];
      console.log(
        `  ${file.split('/').pop()} shot ${s + 1} (from ${bounds[s]} s): ${picked.length} of ${every.length} frames; ` +
          `labels [${all.map((o) => o.label).join(', ')}]${lost.length ? `, lost [${lost.map((o) => `${o.label} ${o.confidence}`).join(', ')}]` : ''}`,
      );
    }
  }
  console.log(`  detector on ${framesRun} of ${framesAll} frames; labels kept ${labelsAll - labelsLost} of ${labelsAll}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
