/**
 * `eval:real --set vision` (scripts/real-eval/index wires it in; run alone with
 * `node scripts/bootstrap.js script real-eval/vision`): on-screen text of a fading 320x180 title
 * card and face similarities on real talking heads, through the pipeline's own decode pass and
 * models. Figures only; nothing is asserted here.
 */
import { bundledFfmpegPath, resolveFfmpegBinaries } from '@heimdex/media';
import { FaceApiEngine, PpOcrEngine } from '@heimdex/ml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CutEvalResult, evalCuts } from './vision-cuts';
import { evalFaceSimilarities, FaceEvalResult } from './vision-faces';
import { DEFAULT_TITLE_CARD, evalTitleCard, OcrEvalResult } from './vision-ocr';

export const REALMEDIA_DIR = process.env.REALMEDIA_DIR ?? '/work/shared/realmedia';

export interface VisionSetResult {
  ffmpeg: { path: string; version: string };
  cuts: CutEvalResult[] | { skipped: string };
  ocr: OcrEvalResult | { skipped: string };
  faces: FaceEvalResult | { skipped: string };
}

export async function runVisionSet(mediaDir = REALMEDIA_DIR): Promise<VisionSetResult> {
  const bins = resolveFfmpegBinaries({ ffmpegPath: process.env.FFMPEG_PATH ?? null, ffprobePath: null });
  const background = join(mediaDir, 'objects', 'sam2_truck.jpg');
  const facesDir = join(mediaDir, 'faces');
  const ocr = existsSync(background)
    ? await evalTitleCard(bins, await PpOcrEngine.create(), DEFAULT_TITLE_CARD(background))
    : { skipped: `${background} is missing` };
  const clips = existsSync(facesDir)
    ? readdirSync(facesDir)
        .filter((f) => f.endsWith('.mpg'))
        .map((f) => join(facesDir, f))
    : [];
  const faces =
    clips.length >= 2
      ? await evalFaceSimilarities(bins, await FaceApiEngine.create(), clips, undefined, undefined, speakersIn(facesDir))
      : { skipped: `fewer than two talking-head clips in ${facesDir}` };
  // Every ffmpeg build at hand: the cuts must not depend on which one is used.
  const builds = [bins.ffmpeg, bundledFfmpegPath(), '/usr/bin/ffmpeg']
    .filter((p, i, all) => existsSync(p) && all.indexOf(p) === i)
    .map((ffmpegPath) => resolveFfmpegBinaries({ ffmpegPath, ffprobePath: null }));
  const cuts = clips.length >= 3 ? await evalCuts(builds, clips) : { skipped: `fewer than three talking-head clips in ${facesDir}` };
  return { ffmpeg: { path: bins.ffmpeg, version: bins.version }, cuts, ocr, faces };
}

if (require.main === module) {
  runVisionSet().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

/** speakers.json next to the clips (as in test/fixtures/realmedia/faces): who is in which clip. */
function speakersIn(dir: string): Record<string, string> {
  const file = join(dir, 'speakers.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { clips: Record<string, string> }).clips : {};
}
