import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { isJobName, JobName } from '@heimdex/queue';
import { JOB_HANDLERS, JobHandler } from './job-handler';

/** Routes a BullMQ job to its handler. Construction fails if any job name lacks exactly one handler. */
@Injectable()
export class JobHandlerRegistry {
  private readonly byName = new Map<JobName, JobHandler>();

  constructor(@Inject(JOB_HANDLERS) handlers: JobHandler[]) {
    for (const h of handlers) {
      if (this.byName.has(h.jobName)) throw new Error(`two handlers for job ${h.jobName}`);
      this.byName.set(h.jobName, h);
    }
    const missing = Object.values(JobName).filter((n) => !this.byName.has(n));
    if (missing.length) throw new Error(`worker cannot start: no handler for job(s) ${missing.join(', ')}`);
  }

  async run(job: Job): Promise<void> {
    if (!isJobName(job.name)) throw new Error(`unknown job name ${job.name}`);
    const handler = this.byName.get(job.name);
    if (!handler) throw new Error(`no handler for ${job.name}`);
    await handler.handle(job.data as never, job);
  }
}
