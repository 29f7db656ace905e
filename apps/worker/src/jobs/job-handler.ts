import type { Job } from 'bullmq';
import type { JobName, JobPayloads } from '@heimdex/queue';

/** One handler per job name; each is one class with one public method. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(payload: JobPayloads[N], job: Job): Promise<void>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
