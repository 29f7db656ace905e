import { ApiProperty } from '@nestjs/swagger';
import { VideoState } from '@heimdex/db';
import { StageDto } from './video.dto';

/** The `data` of each `event: progress` message on GET /v1/videos/:id/events (JSON). */
export class VideoProgressEventDto {
  @ApiProperty({ format: 'uuid', example: '3c068e94-bf89-45f1-bbd0-662ffd90ee56' }) id!: string;
  @ApiProperty({ enum: VideoState, enumName: 'VideoState', example: VideoState.Processing }) state!: VideoState;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.5, description: 'share of pipeline stages done' }) progress!: number;
  @ApiProperty({ type: [StageDto] }) stages!: StageDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'why the video failed' }) error!: string | null;
}
