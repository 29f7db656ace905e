import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type { Job, Queue } from 'bullmq';
import type { JobStage } from '@heimdex/db';
import { isJobName, JOB_QUEUE, jobIdFor, jobNameForStage, parseStageJobId, QueueName, QueueRegistry, StageJobName, withTimeout } from '@heimdex/queue';
import { queueStoreCall } from '../common/queue-store-call';
import { VideosService } from '../videos/videos.service';
import type { QueueDto, RetriedJobDto, VideoJobsDto } from './dto/queue.dto';

/**
 * Queue administration over BullMQ: counts, pause, resume, retry of a failed job, a video's stage
 * jobs. Every Redis call is bounded (queueStoreCall): with Redis away these answer 503 quickly,
 * except a video's jobs, whose queue states read null.
 */
@Injectable()
export class QueueAdminService {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly videos: VideosService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private redis<T>(work: () => Promise<T>): Promise<T> {
    return queueStoreCall(this.config, work);
  }

  list(): Promise<QueueDto[]> {
    return this.redis(() => Promise.all(Object.values(QueueName).map((name) => this.describe(name))));
  }

  /** Pauses the queue for every worker: running jobs finish, no new one starts. */
  pause(name: QueueName): Promise<QueueDto> {
    return this.redis(async () => {
      await this.queues.get(name).pause();
      return this.describe(name);
    });
  }

  resume(name: QueueName): Promise<QueueDto> {
    return this.redis(async () => {
      await this.queues.get(name).resume();
      return this.describe(name);
    });
  }

  /**
   * Job ids are deterministic and start with the job name (`upload_validate.<video>.<run>`,
   * `user_purge.<user>.<time>`), and the job name fixes the queue (JOB_QUEUE); ids of another
   * shape (a scheduler's runs) are looked for in every queue.
   */
  retry(id: string): Promise<RetriedJobDto> {
    const stageJob = parseStageJobId(id);
    if (stageJob) return this.retryStage(id, stageJob);
    return this.redis(async () => {
      const job = await this.find(id);
      if (!job) throw new NotFoundException(`no job ${id} in any queue (completed and failed jobs are kept for a limited time)`);
      const state = await job.getState();
      if (state !== 'failed') throw new ConflictException(`job ${id} is ${state}; only failed jobs can be retried`);
      await job.retry('failed');
      return { id, name: job.name, queue: job.queueName as QueueName, state: await job.getState() };
    });
  }

  /**
   * A pipeline stage is rerun from the database, not by re-running the BullMQ job: the failed
   * video moves to a new run (the old run's jobs stay no-ops under the stage runner's fencing) and
   * the failed job is removed from its queue. Works even when Redis lost the failed job.
   */
  private async retryStage(id: string, job: { name: StageJobName; videoId: string; run: number }): Promise<RetriedJobDto> {
    const run = await this.videos.retryFailedStage(job.videoId, job.run, job.name as string as JobStage);
    const queue = JOB_QUEUE[job.name];
    // Best effort: the old run's job is a no-op under the stage runner's fencing anyway.
    await withTimeout(this.queues.get(queue).remove(id), this.config.worker.redisCommandTimeoutMs).catch(() => undefined);
    return { id: jobIdFor(job.name, { videoId: job.videoId, run }), name: job.name, queue, state: 'queued', retriedJobId: id };
  }

  /** A video's stages as the database has them, each with its job id in the current run and that job's state in its queue. */
  async videoJobs(videoId: string): Promise<VideoJobsDto> {
    const { video, run } = await this.videos.getWithRun(videoId);
    const items = await Promise.all(
      video.stages.map(async (s) => {
        const name = jobNameForStage(s.stage);
        const jobId = jobIdFor(name, { videoId, run });
        const queue = JOB_QUEUE[name];
        const queueState = await this.queueState(queue, jobId);
        return { stage: s.stage, state: s.state, attempts: s.attempts, ...(s.error ? { error: s.error } : {}), jobId, queue, queueState };
      }),
    );
    return { videoId, state: video.state, run, error: video.error, items };
  }

  private async queueState(queue: QueueName, jobId: string): Promise<string | null> {
    try {
      const job = await withTimeout(this.queues.get(queue).getJob(jobId), this.config.worker.redisCommandTimeoutMs);
      return job ? await withTimeout(job.getState(), this.config.worker.redisCommandTimeoutMs) : null;
    } catch {
      return null;
    }
  }

  private async find(id: string): Promise<Job | null> {
    const prefix = id.split('.')[0];
    const first = isJobName(prefix) ? [JOB_QUEUE[prefix]] : [];
    const order = [...first, ...Object.values(QueueName).filter((q) => !first.includes(q))];
    for (const name of order) {
      const job = await this.queues.get(name).getJob(id);
      if (job) return job;
    }
    return null;
  }

  private async describe(name: QueueName): Promise<QueueDto> {
    const queue: Queue = this.queues.get(name);
    const [counts, paused] = await Promise.all([
      queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children'),
      queue.isPaused(),
    ]);
    return {
      name,
      paused,
      counts: {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
        delayed: counts.delayed ?? 0,
        prioritized: counts.prioritized ?? 0,
        waitingChildren: counts['waiting-children'] ?? 0,
      },
    };
  }
}
