import { JobStage, JobState, PipelineJob, DONE_JOB_STATES } from '@heimdex/db';
import { PIPELINE, stagesFrom } from '@heimdex/queue';

/** Which stages a reprocess reruns: `from` onwards, else every unfinished stage onwards, else all. */
export function stagesToRerun(jobs: readonly Pick<PipelineJob, 'stage' | 'state'>[], from?: JobStage): JobStage[] {
  if (from) return stagesFrom(from);
  const unfinished = PIPELINE.filter((stage) => !DONE_JOB_STATES.has(jobs.find((j) => j.stage === stage)?.state ?? JobState.Pending));
  if (!unfinished.length) return [...PIPELINE];
  const rerun = new Set(unfinished.flatMap((s) => stagesFrom(s)));
  return PIPELINE.filter((s) => rerun.has(s));
}
