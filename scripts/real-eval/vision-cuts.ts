/**
 * The shot-cut part of eval:real (`--set vision`): real talking-head clips (GRID) joined into one
 * video with hard cuts and one 1 s dissolve at known times, decoded by the pipeline's own pass
 * with every ffmpeg build given. Prints the cuts found, how many of the true ones lie within
 * 0.5 s, false cuts, and whether the builds agree.
 */
import { FfmpegBinaries, runScenePass } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CutEvalResult {
  ffmpeg: string;
  truth: number[];
  found: { timeS: number; kind: string }[];
  hits: number;
  falseCuts: number;
  framesAnalysed: number;
  framesSkipped: number;
  decoded: number;
}

/** clips[0] | cut | clips[1] | cut | clips[2] ... and the last two joined by a 1 s dissolve. Each clip is `seconds` long. */
export function joinClips(ffmpeg: string, clips: string[], seconds: number, out: string): { file: string; truth: number[] } {
  const n = clips.length;
  const inputs = clips.flatMap((c) => ['-t', String(seconds), '-i', c]);
  const norm = clips.map(
    (_, i) => `[${i}:v]scale=360:288,setsar=1,fps=25,format=yuv420p${i === n - 1 ? ',format=yuva420p,fade=t=in:st=0:d=1:alpha=1' : ''}[v${i}]`,
  );
  const hard = `${clips
    .slice(0, n - 1)
    .map((_, i) => `[v${i}]`)
    .join('')}concat=n=${n - 1}:v=1:a=0[h]`;
  const start = (n - 1) * seconds - 1;
  // A black canvas as long as everything sets the length; the joined clips, then the last one fading in over them.
  const canvas = `color=c=black:size=360x288:rate=25:duration=${start + seconds}[bg]`;
  const graph = [
    ...norm,
    hard,
    canvas,
    `[v${n - 1}]setpts=PTS+${start}/TB[last]`,
    '[bg][h]overlay=eof_action=pass[bh]',
    '[bh][last]overlay=eof_action=pass,format=yuv420p[v]',
  ].join(';');
  execFileSync(ffmpeg, ['-y', '-v', 'error', ...inputs, '-filter_complex', graph, '-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', out]);
  const truth = clips.slice(1, n - 1).map((_, i) => (i + 1) * seconds);
  return { file: out, truth: [...truth, start + 0.5] };
}

export async function evalCuts(builds: FfmpegBinaries[], clips: string[], seconds = 2.5): Promise<CutEvalResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'heimdex-eval-cuts-'));
  const { file, truth } = joinClips(builds[0].ffmpeg, clips, seconds, join(dir, 'joined.mp4'));
  const results: CutEvalResult[] = [];
  for (const bins of builds) {
    const pass = await runScenePass(bins, file, mkdtempSync(join(dir, 'frames-')), { framesPerSecond: 2, maxFrameSide: 1280 });
    const hits = truth.filter((t) => pass.cuts.some((c) => Math.abs(c - t) <= 0.5)).length;
    const falseCuts = pass.cuts.filter((c) => !truth.some((t) => Math.abs(c - t) <= 0.5)).length;
    results.push({
      ffmpeg: `${bins.version} (${bins.ffmpeg})`,
      truth,
      found: pass.cutDetails.map((c) => ({ timeS: c.timeS, kind: c.kind })),
      hits,
      falseCuts,
      framesAnalysed: pass.frames.length,
      framesSkipped: pass.duplicates,
      decoded: pass.decoded,
    });
  }
  return results;
}
