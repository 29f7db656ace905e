import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { Face, JobState, PipelineJob, Scene } from '@heimdex/db';
import { JobName, VideoPurgePayload } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import type { JobHandler } from '../jobs/job-handler';

const STOP_POLL_MS = 250;

/**
 * Removes a deleted video's objects and derived rows. The video row stays as a `deleted` tombstone.
 * First it waits for the video's running stages to stop (they notice the delete within a second
 * and mark their row), so no stage is still writing under the prefix it deletes; at most twice
 * WORKER_LOCK_MS, the time a crashed worker's stage would stay `running`.
 */
@Injectable()
export class VideoPurgeHandler implements JobHandler<JobName.VideoPurge> {
  readonly jobName = JobName.VideoPurge;
  private readonly logger = new Logger(VideoPurgeHandler.name);

  constructor(
    private readonly orm: MikroORM,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ videoId, userId }: VideoPurgePayload): Promise<void> {
    await this.runningStagesStopped(videoId);
    const objects = await this.storage.deletePrefix(videoKeys.prefix(userId, videoId));
    await this.orm.em.fork().transactional(async (tx) => {
      await tx.nativeDelete(Face, { video: videoId });
      await tx.nativeDelete(Scene, { video: videoId }, { filters: false });
      await tx.nativeDelete(PipelineJob, { video: videoId });
    });
    this.logger.log(`purged video ${videoId}: ${objects} object(s)`);
  }

  private async runningStagesStopped(videoId: string): Promise<void> {
    const until = Date.now() + 2 * this.config.worker.lockMs;
    for (;;) {
      const running = await this.orm.em.fork().count(PipelineJob, { video: videoId, state: JobState.Running });
      if (!running) return;
      if (Date.now() >= until) {
        this.logger.warn(`purging video ${videoId} with ${running} stage(s) still running; they remove what they write when they stop`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, STOP_POLL_MS));
    }
  }
}
