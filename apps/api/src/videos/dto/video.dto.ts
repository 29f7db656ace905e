import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ContentRating, JobStage, JobState, VideoState } from '@heimdex/db';

export class ModelRefDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: string;
}

export class StageDto {
  @ApiProperty({ enum: JobStage, enumName: 'JobStage' }) stage!: JobStage;
  @ApiProperty({ enum: JobState, enumName: 'JobState' }) state!: JobState;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
  @ApiPropertyOptional({ description: 'why it failed, or why it was skipped' }) error?: string;
  @ApiPropertyOptional({ type: () => ModelRefDto, description: 'the model behind what the stage produced' }) model?: ModelRefDto;
  @ApiPropertyOptional({ description: 'what a completed stage found, or what it could not do (e.g. OCR off)' }) note?: string;
}

export class VideoDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: VideoState, enumName: 'VideoState' }) state!: VideoState;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'share of pipeline stages done' }) progress!: number;
  @ApiProperty({ type: String, nullable: true }) title!: string | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() filename!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ type: Number, nullable: true }) durationS!: number | null;
  @ApiProperty({ type: Number, nullable: true }) width!: number | null;
  @ApiProperty({ type: Number, nullable: true }) height!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'transcript language (ISO 639-1)' }) language!: string | null;
  @ApiProperty({
    enum: ContentRating,
    enumName: 'ContentRating',
    nullable: true,
    description: 'content moderation: the strictest rating of its scenes; null when not rated',
  })
  contentRating!: ContentRating | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the video failed' }) error!: string | null;
  @ApiProperty({ type: [StageDto] }) stages!: StageDto[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) uploadedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) indexedAt!: Date | null;
}

export class VideoEnvelopeDto {
  @ApiProperty({ type: VideoDto }) video!: VideoDto;
}

export class UploadInstructionsDto {
  @ApiProperty({ description: "presigned for the storage's public endpoint" }) url!: string;
  @ApiProperty({ enum: ['PUT'] }) method!: 'PUT';
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { 'Content-Type': 'video/mp4' } }) headers!: Record<string, string>;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
}

export class CreatedVideoDto {
  @ApiProperty({ type: VideoDto }) video!: VideoDto;
  @ApiProperty({ type: UploadInstructionsDto }) upload!: UploadInstructionsDto;
}

export class VideoListDto {
  @ApiProperty({ type: [VideoDto] }) items!: VideoDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class PlaybackDto {
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
}

export class EventsTicketDto {
  @ApiProperty({ description: 'pass as `?ticket=` to GET /v1/videos/{id}/events; single use' }) ticket!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
}

export class ScenePersonDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: Number, nullable: true }) confidence!: number | null;
}

export class SceneObjectDto {
  @ApiProperty({ description: 'a COCO class name, e.g. dog, car, boat' }) label!: string;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'best detector confidence in the scene' }) confidence!: number;
  @ApiProperty({ minimum: 1, description: 'the most instances seen in one frame' }) count!: number;
  @ApiProperty({ description: 'time of the first frame it was seen in' }) firstS!: number;
}

export class SceneDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() index!: number;
  @ApiProperty() startS!: number;
  @ApiProperty() endS!: number;
  @ApiProperty() transcript!: string;
  @ApiProperty({
    enum: ['captions', 'asr'],
    nullable: true,
    description: 'captions: cues of a caption file (embedded or uploaded); asr: speech recognition; null: no transcript',
  })
  transcriptSource!: 'captions' | 'asr' | null;
  @ApiProperty() ocrText!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'language of the scene’s transcript and on-screen text (ISO 639-1)' }) language!: string | null;
  @ApiProperty({ type: [SceneObjectDto], description: 'objects detected on the scene’s frames, best confidence first' }) objects!: SceneObjectDto[];
  @ApiProperty({ type: [ScenePersonDto] }) people!: ScenePersonDto[];
  @ApiProperty({ type: String, nullable: true }) thumbnailUrl!: string | null;
}
