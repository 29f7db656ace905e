import { Injectable, Logger } from '@nestjs/common';
import { FaceClusterer } from '@heimdex/faces';
import { FacesClusterPayload, JobName } from '@heimdex/queue';
import type { JobHandler } from '../jobs/job-handler';

/** After a video's faces stage: its unnamed tracks (and any other not yet placed) join the owner's clusters. */
@Injectable()
export class FacesClusterHandler implements JobHandler<JobName.FacesCluster> {
  readonly jobName = JobName.FacesCluster;
  private readonly logger = new Logger(FacesClusterHandler.name);

  constructor(private readonly clusterer: FaceClusterer) {}

  async handle({ userId, videoId }: FacesClusterPayload): Promise<void> {
    const run = await this.clusterer.clusterUser(userId);
    this.logger.log(
      `clustered faces of user ${userId} after video ${videoId}: placed ${run.placed}, dissolved ${run.dissolved}${run.reset ? ', rebuilt' : ''}`,
    );
  }
}
