import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JobStage, Video } from '@heimdex/db';
import { checkVideo, MediaProbe } from '@heimdex/media';
import { JobName, StageJobPayload } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import { join } from 'node:path';
import type { JobHandler } from '../jobs/job-handler';
import { PermanentStageError, PipelineStage, StageContext, StageResult } from '../pipeline/pipeline-stage';
import { StageRunner } from '../pipeline/stage-runner';
import { downloadSourceToValidate } from './validated-source';

/** upload_validate: is the uploaded object a video Heimdex can index? ffprobe, limits, and a decode of both ends. */
@Injectable()
export class UploadValidateStage implements PipelineStage, JobHandler<JobName.UploadValidate> {
  readonly stage = JobStage.UploadValidate;
  readonly jobName = JobName.UploadValidate;

  constructor(
    private readonly runner: StageRunner,
    private readonly probe: MediaProbe,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  handle(payload: StageJobPayload, job: Job): Promise<void> {
    return this.runner.run(this, payload, job);
  }

  async run({ video, workDir, write, mediaLimits }: StageContext): Promise<StageResult> {
    const file = join(workDir, 'source');
    const source = await downloadSourceToValidate(this.storage, video, file);

    const probed = await this.probe.probe(file, mediaLimits).catch((err: Error) => {
      throw err.name === 'Error' ? new PermanentStageError(`not a readable video file: ${err.message}`) : err;
    });
    // The budget (MAX_DECODE_PIXELS) is checked here, before anything decodes the picture.
    const verdict = checkVideo(probed, this.config.media);
    if (!verdict.ok) throw new PermanentStageError(verdict.reason);
    const decodeError = await this.probe.decodeErrors(file, verdict.video.durationS, mediaLimits);
    if (decodeError) throw new PermanentStageError(`the video is truncated or corrupt: ${decodeError}`);

    const { durationS, width, height, ...media } = verdict.video;
    await write((tx) => tx.nativeUpdate(Video, { id: video.id }, { durationS, width, height, mediaInfo: { ...media, streams: probed.streams, source } }));
    return { status: 'completed', note: `${durationS.toFixed(1)} s, ${width}x${height}` };
  }
}
