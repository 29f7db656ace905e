import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Face, PipelineJob, Scene } from '@heimdex/db';
import { JobName, VideoPurgePayload } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import type { JobHandler } from '../jobs/job-handler';

/** Removes a deleted video's objects and derived rows. The video row stays as a `deleted` tombstone. */
@Injectable()
export class VideoPurgeHandler implements JobHandler<JobName.VideoPurge> {
  readonly jobName = JobName.VideoPurge;
  private readonly logger = new Logger(VideoPurgeHandler.name);

  constructor(
    private readonly orm: MikroORM,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async handle({ videoId, userId }: VideoPurgePayload): Promise<void> {
    const objects = await this.storage.deletePrefix(videoKeys.prefix(userId, videoId));
    await this.orm.em.fork().transactional(async (tx) => {
      await tx.nativeDelete(Face, { video: videoId });
      await tx.nativeDelete(Scene, { video: videoId }, { filters: false });
      await tx.nativeDelete(PipelineJob, { video: videoId });
    });
    this.logger.log(`purged video ${videoId}: ${objects} object(s)`);
  }
}
