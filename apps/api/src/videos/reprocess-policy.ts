import { PipelineJob, Video, VideoState } from '@heimdex/db';

const FINISHED = new Set([VideoState.Indexed, VideoState.Failed]);
const LIVE = new Set([VideoState.Validating, VideoState.Processing]);

/** When anything of the video's pipeline last changed: the video row or any stage row. */
export function lastProgressAt(video: Pick<Video, 'updatedAt'>, jobs: readonly Pick<PipelineJob, 'updatedAt' | 'startedAt' | 'finishedAt'>[]): Date {
  const times = [video.updatedAt, ...jobs.flatMap((j) => [j.updatedAt, j.startedAt, j.finishedAt])].filter((t): t is Date => t instanceof Date);
  return new Date(Math.max(...times.map((t) => t.getTime())));
}

/**
 * Indexed and failed videos can always be reprocessed; a video still validating or processing
 * only once it is stuck: none of its stages started, finished or changed for `stallS` seconds
 * (its jobs were lost, or a stage hangs). The reprocess moves it to a new run, so a late job of
 * the old run does nothing. Returns why not, or null when it may.
 */
export function whyNotReprocessable(
  video: Pick<Video, 'state' | 'updatedAt'>,
  jobs: readonly Pick<PipelineJob, 'updatedAt' | 'startedAt' | 'finishedAt'>[],
  stallS: number,
  now = new Date(),
): string | null {
  if (FINISHED.has(video.state)) return null;
  if (!LIVE.has(video.state)) return `the video is ${video.state}; only indexed, failed or stalled videos can be reprocessed`;
  const idleS = Math.floor((now.getTime() - lastProgressAt(video, jobs).getTime()) / 1000);
  if (idleS >= stallS) return null;
  return `the video is ${video.state} and its stages last changed ${idleS} s ago; a video still in progress can be reprocessed once nothing changed for ${stallS} s (PIPELINE_STALL_S)`;
}
