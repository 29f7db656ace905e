import { JobStage, JobState, PipelineJob } from '@heimdex/db';
import { PIPELINE, stagesFrom } from '@heimdex/queue';

const DONE = new Set([JobState.Completed, JobState.Skipped]);

/** Which stages a reprocess reruns: `from` onwards, else every unfinished stage onwards, else all. */
export function stagesToRerun(jobs: readonly Pick<PipelineJob, 'stage' | 'state'>[], from?: JobStage): JobStage[] {
  if (from) return stagesFrom(from);
  const unfinished = PIPELINE.filter((stage) => !DONE.has(jobs.find((j) => j.stage === stage)?.state ?? JobState.Pending));
  if (!unfinished.length) return [...PIPELINE];
  const rerun = new Set(unfinished.flatMap((s) => stagesFrom(s)));
  return PIPELINE.filter((s) => rerun.has(s));
}
