import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodePasses } from './decode-passes';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import { readSceneCuts, sceneScoreChain } from './filter-graphs';
import { MediaRunLimits, runMediaProcess } from './media-process';

export interface ScenePassOptions {
  /** ffmpeg's scene-change score (0..1) above which a frame starts a new shot. */
  cutThreshold: number;
  /** Candidate frames written per second for the visual stages. */
  framesPerSecond: number;
  /** Longest side of the written frames. */
  maxFrameSide: number;
}

export interface ScenePassResult {
  /** Times (s) of frames whose scene score passed the threshold. */
  cuts: number[];
  /** Written candidate frames, in time order. */
  frames: { timeS: number; path: string }[];
}

/**
 * The one decode of a video's picture: a split filter graph scores shot changes on a small
 * copy and writes candidate frames from the full-size one, so every visual stage reads these
 * frames instead of decoding the video again. The score branch never starves its sink
 * (sceneScoreChain), so neither branch buffers frames.
 */
export async function runScenePass(bins: FfmpegBinaries, input: string, outDir: string, opts: ScenePassOptions, limits?: MediaRunLimits): Promise<ScenePassResult> {
  const side = opts.maxFrameSide;
  const scores = join(dirname(outDir), `${outDir.split('/').pop()}-scene-scores.txt`);
  decodePasses.record();
  const graph = [
    '[0:v:0]split=2[score][keep]',
    `[score]scale=320:-2,${sceneScoreChain(scores)}[cuts]`,
    `[keep]fps=${opts.framesPerSecond},scale='if(gte(iw,ih),min(${side},iw),-2)':'if(gte(iw,ih),-2,min(${side},ih))'[frames]`,
  ].join(';');
  await runMediaProcess(
    bins.ffmpeg,
    ['-nostdin', '-v', 'error', '-y', '-i', input, '-filter_complex', graph, '-map', '[cuts]', '-f', 'null', '-', '-map', '[frames]', '-q:v', '3', join(outDir, '%06d.jpg')],
    { label: 'scene detection', limits },
  );
  const cuts = await readSceneCuts(scores, opts.cutThreshold);
  const names = (await readdir(outDir)).filter((n) => /^\d{6}\.jpg$/.test(n)).sort();
  // The fps filter emits frame k (from 1) for time (k - 1) / fps.
  const frames = names.map((name) => ({ timeS: (Number(name.slice(0, 6)) - 1) / opts.framesPerSecond, path: join(outDir, name) }));
  return { cuts, frames };
}
