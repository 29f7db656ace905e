import { JobStage } from '@heimdex/db';
import { JobName } from './job-names';

/**
 * The pipeline, in order, declared once. The worker runs these stages one after another for
 * each video; the API shows one row per stage. Stages arrive here as they are implemented
 * (issue #3 adds audio_extract … commit); a stage not listed is not pretended to run.
 */
export const PIPELINE: readonly JobStage[] = [JobStage.UploadValidate];

const STAGE_JOB: Partial<Record<JobStage, JobName>> = {
  [JobStage.UploadValidate]: JobName.UploadValidate,
};

export function jobNameForStage(stage: JobStage): JobName {
  const name = STAGE_JOB[stage];
  if (!name) throw new Error(`stage ${stage} has no job`);
  return name;
}

export function nextStage(stage: JobStage): JobStage | null {
  const i = PIPELINE.indexOf(stage);
  return i >= 0 && i + 1 < PIPELINE.length ? PIPELINE[i + 1] : null;
}
