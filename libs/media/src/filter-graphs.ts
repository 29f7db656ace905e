import { readFile } from 'node:fs/promises';

/**
 * Every output of a multi-output ffmpeg graph must receive frames steadily. A branch that drops
 * most frames (`select='gt(scene,T)'`) starves its sink, and ffmpeg then queues the other
 * branch's decoded frames while it waits for it: 973 MB for 600 black 1080p frames (13 GB at
 * 8K). The scene-score chain below passes every (already small) frame through and writes each
 * frame's score to a file instead; readSceneCuts picks the cuts from that file afterwards.
 */
export function sceneScoreChain(scoresFile: string): string {
  if (/['\\]/.test(scoresFile)) throw new Error(`unsupported character in ${scoresFile}`);
  return `select='gte(scene,0)',metadata=mode=print:key=lavfi.scene_score:file='${scoresFile}'`;
}

/** Times (s) of the frames whose scene score in `scoresFile` (written by sceneScoreChain) is above `threshold`. */
export async function readSceneCuts(scoresFile: string, threshold: number): Promise<number[]> {
  const text = await readFile(scoresFile, 'utf8').catch(() => '');
  const cuts: number[] = [];
  let time: number | null = null;
  for (const line of text.split('\n')) {
    const t = /\bpts_time:\s*(-?[\d.]+)/.exec(line);
    if (t) {
      time = Number(t[1]);
      continue;
    }
    const s = /^lavfi\.scene_score=([\d.]+)/.exec(line.trim());
    if (s && time !== null && Number(s[1]) > threshold) cuts.push(time);
  }
  return cuts;
}
