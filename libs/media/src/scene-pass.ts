import ffmpeg from 'fluent-ffmpeg';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePasses } from './decode-passes';
import type { FfmpegBinaries } from './ffmpeg-binaries';

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
 * frames instead of decoding the video again.
 */
export async function runScenePass(bins: FfmpegBinaries, input: string, outDir: string, opts: ScenePassOptions): Promise<ScenePassResult> {
  const cuts: number[] = [];
  const side = opts.maxFrameSide;
  decodePasses.record();
  await new Promise<void>((resolve, reject) => {
    ffmpeg(input)
      .setFfmpegPath(bins.ffmpeg)
      .complexFilter([
        '[0:v:0]split=2[score][keep]',
        `[score]scale=320:-2,select='gt(scene,${opts.cutThreshold})',showinfo[cuts]`,
        `[keep]fps=${opts.framesPerSecond},scale='if(gte(iw,ih),min(${side},iw),-2)':'if(gte(iw,ih),-2,min(${side},ih))'[frames]`,
      ])
      .output('-')
      .outputOptions(['-map', '[cuts]', '-f', 'null'])
      .output(join(outDir, '%06d.jpg'))
      .outputOptions(['-map', '[frames]', '-q:v', '3'])
      .on('stderr', (line: string) => {
        const m = /Parsed_showinfo.*\bpts_time:\s*([\d.]+)/.exec(line);
        if (m) cuts.push(Number(m[1]));
      })
      .on('error', (err: Error) => reject(new Error(`scene detection failed: ${err.message.split('\n')[0]}`)))
      .on('end', () => resolve())
      .run();
  });
  const names = (await readdir(outDir)).filter((n) => /^\d{6}\.jpg$/.test(n)).sort();
  // The fps filter emits frame k (from 1) for time (k - 1) / fps.
  const frames = names.map((name) => ({ timeS: (Number(name.slice(0, 6)) - 1) / opts.framesPerSecond, path: join(outDir, name) }));
  return { cuts, frames };
}
