import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, jobIdFor } from './job-names';
import { QueueName } from './queue-names';

/** Every BullMQ queue by name, and the one way to add a job (with its deterministic id). */
@Injectable()
export class QueueRegistry {
  constructor(private readonly moduleRef: ModuleRef) {}

  get(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  all(): Queue[] {
    return Object.values(QueueName).map((n) => this.get(n));
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string = jobIdFor(name, payload)): Promise<void> {
    await this.get(JOB_QUEUE[name]).add(name, payload, { jobId });
  }

  /** Removes waiting or delayed jobs by id; an active job sees its video's state and stops. */
  async removeIfWaiting(name: JobName, jobId: string): Promise<void> {
    const job = await this.get(JOB_QUEUE[name]).getJob(jobId);
    if (!job) return;
    const state = await job.getState();
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') await job.remove();
  }
}
