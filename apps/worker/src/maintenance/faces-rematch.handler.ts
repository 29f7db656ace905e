import { Inject, Injectable, Logger } from '@nestjs/common';
import { FaceClusterer, FaceMatcher } from '@heimdex/faces';
import { FacesRematchPayload, JobName } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import type { JobHandler } from '../jobs/job-handler';
import { EnrolmentReembedder } from './enrolment-reembedder';

/**
 * After a user's people change: removes the kept photos of deleted enrolments, embeds kept
 * photos with the current face model if needed, re-matches every stored scene track (no video is
 * reprocessed), then clusters the tracks left unnamed.
 */
@Injectable()
export class FacesRematchHandler implements JobHandler<JobName.FacesRematch> {
  readonly jobName = JobName.FacesRematch;
  private readonly logger = new Logger(FacesRematchHandler.name);

  constructor(
    private readonly reembedder: EnrolmentReembedder,
    private readonly matcher: FaceMatcher,
    private readonly clusterer: FaceClusterer,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async handle({ userId, revision, deletePhotoKeys }: FacesRematchPayload): Promise<void> {
    for (const key of deletePhotoKeys) await this.storage.deletePrefix(key);
    await this.reembedder.reembedUser(userId);
    const outcome = await this.matcher.rematchUser(userId, revision);
    if (outcome.stale) {
      this.logger.log(`re-match of user ${userId} at revision ${revision}: a newer change follows, left to its job`);
      return;
    }
    const clusters = await this.clusterer.clusterUser(userId);
    this.logger.log(
      `re-matched user ${userId} (revision ${revision}, ${outcome.models.join(', ') || 'no tracks'}): ${outcome.candidates} candidate track(s), ` +
        `${outcome.named} named, ${outcome.unnamed} unnamed; clustering placed ${clusters.placed}, dissolved ${clusters.dissolved}`,
    );
  }
}
