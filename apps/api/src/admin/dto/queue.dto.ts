import { ApiProperty } from '@nestjs/swagger';
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
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: QueueName, enumName: 'QueueName' }) queue!: QueueName;
  @ApiProperty({ description: 'the job state after the retry (waiting, or already active)' }) state!: string;
}

export class PurgeRequestDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ description: 'the user_purge job; GET /v1/admin/queues shows its progress' }) jobId!: string;
}

export class BoardSessionDto {
  @ApiProperty({ description: 'open in a browser once, within a minute: it sets a 15-minute dashboard cookie' }) url!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
}
