import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStage, JobState, VideoState } from '@heimdex/db';
import { QueueName } from '@heimdex/queue';

export class QueueCountsDto {
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() delayed!: number;
  @ApiProperty() prioritized!: number;
  @ApiProperty() waitingChildren!: number;
}

export class QueueDto {
  @ApiProperty({ enum: QueueName, enumName: 'QueueName' }) name!: QueueName;
  @ApiProperty({ description: 'workers take no new jobs from it' }) paused!: boolean;
  @ApiProperty({ type: QueueCountsDto }) counts!: QueueCountsDto;
}

export class QueueListDto {
  @ApiProperty({ type: [QueueDto] }) items!: QueueDto[];
}

export class RetriedJobDto {
  @ApiProperty({ description: "the job that runs now: a pipeline stage's retry is a new run of the video, so its id ends with the new run" }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: QueueName, enumName: 'QueueName' }) queue!: QueueName;
  @ApiProperty({ description: 'the job state after the retry (waiting, or already active); `queued` for a pipeline stage (dispatched through the outbox)' })
  state!: string;
  @ApiPropertyOptional({ description: 'the failed job the retry replaces, when the id changed' }) retriedJobId?: string;
}

export class VideoStageJobDto {
  @ApiProperty({ enum: JobStage, enumName: 'JobStage' }) stage!: JobStage;
  @ApiProperty({ enum: JobState, enumName: 'JobState', description: 'what the database says (the source of truth)' }) state!: JobState;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ description: 'the BullMQ job id of this stage in the current run (POST /v1/admin/jobs/:id/retry takes it)' }) jobId!: string;
  @ApiProperty({ enum: QueueName, enumName: 'QueueName' }) queue!: QueueName;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "the job's state in its queue; null when no queue holds it (not dispatched yet, removed, or lost by Redis) or Redis did not answer",
  })
  queueState!: string | null;
}

export class VideoJobsDto {
  @ApiProperty({ format: 'uuid' }) videoId!: string;
  @ApiProperty({ enum: VideoState, enumName: 'VideoState' }) state!: VideoState;
  @ApiProperty({ description: 'the pipeline run the job ids belong to' }) run!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: [VideoStageJobDto] }) items!: VideoStageJobDto[];
}

export class PurgeRequestDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ description: 'the user_purge job; GET /v1/admin/queues shows its progress' }) jobId!: string;
}

export class BoardSessionDto {
  @ApiProperty({ description: 'open in a browser once, within a minute: it sets a 15-minute dashboard cookie' }) url!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
}
