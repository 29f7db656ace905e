import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, jobIdFor } from './job-names';
import { QueueName } from './queue-names';
import { stageOfJob, stagePriority } from './pipeline';

const LIVE_JOB_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'active']);

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

  /** Stage jobs carry their stage's priority (pipeline.ts); maintenance jobs have their own queue and none. */
  async add<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string = jobIdFor(name, payload)): Promise<void> {
    const stage = stageOfJob(name);
    await this.get(JOB_QUEUE[name]).add(name, payload, stage ? { jobId, priority: stagePriority(stage) } : { jobId });
  }

  /** Whether a queue holds the job in a state that will run it (waiting, delayed, active, ...). */
  async isLive(name: JobName, jobId: string): Promise<boolean> {
    const job = await this.get(JOB_QUEUE[name]).getJob(jobId);
    return Boolean(job && LIVE_JOB_STATES.has(await job.getState()));
  }

  /** Adds the job again under its id; a completed or failed copy kept by BullMQ would make a plain add a no-op. */
  async readd<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string = jobIdFor(name, payload)): Promise<void> {
    const job = await this.get(JOB_QUEUE[name]).getJob(jobId);
    if (job && !LIVE_JOB_STATES.has(await job.getState())) await job.remove();
    await this.add(name, payload, jobId);
  }

  /** Removes waiting or delayed jobs by id; an active job sees its video's state and stops. */
  async removeIfWaiting(name: JobName, jobId: string): Promise<void> {
    const job = await this.get(JOB_QUEUE[name]).getJob(jobId);
    if (!job) return;
    const state = await job.getState();
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') await job.remove();
  }
}
