import type { Job } from 'bullmq';
import { jobNameForStage, StageJobPayload } from '@heimdex/queue';
import type { JobHandler } from '../jobs/job-handler';
import type { PipelineStage } from './pipeline-stage';
import type { StageRunner } from './stage-runner';

/** Each pipeline stage becomes the handler of the job named after it, run through the StageRunner's bookkeeping. */
export function stageJobHandlers(runner: StageRunner, stages: readonly PipelineStage[]): JobHandler[] {
  return stages.map((stage) => ({
    jobName: jobNameForStage(stage.stage),
    handle: (payload: StageJobPayload, job: Job) => runner.run(stage, payload, job),
  }));
}
