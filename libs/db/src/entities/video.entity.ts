import { BigIntType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { ContentRating, VideoState } from '../enums';

@Entity({ tableName: 'videos' })
@Index({ name: 'videos_user_created_idx', properties: ['userId', 'createdAt', 'id'] })
@Index({
  name: 'videos_user_search_idx',
  // Search joins scenes to the owner's indexed videos and reads them from this index alone.
  expression: 'create index "videos_user_search_idx" on "videos" ("user_id", "id") include ("state", "indexed_at", "created_at")',
})
export class Video {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Enum({ items: () => VideoState, nativeEnumName: 'video_state' })
  state: VideoState = VideoState.Uploading;

  @Property({ type: 'text', nullable: true })
  title: string | null = null;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'text' })
  filename!: string;

  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: new BigIntType('number') })
  sizeBytes!: number;

  @Property({ type: 'text' })
  storageKey!: string;

  @Property({ type: 'double', nullable: true })
  durationS: number | null = null;

  @Property({ type: 'integer', nullable: true })
  width: number | null = null;

  @Property({ type: 'integer', nullable: true })
  height: number | null = null;

  /** ffprobe's findings (container, codecs, streams) once validated. */
  @Property({ type: 'json', nullable: true })
  mediaInfo: Record<string, unknown> | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  /** Transcript language (ISO 639-1), detected or configured. */
  @Property({ type: 'text', nullable: true })
  language: string | null = null;

  /** The strictest rating of the video's scenes (vision_moderation); null: not rated. */
  @Enum({ items: () => ContentRating, nativeEnumName: 'content_rating', nullable: true })
  contentRating: ContentRating | null = null;

  /** Incremented by every (re)run of the pipeline; job ids include it. */
  @Property({ type: 'integer', default: 0 })
  pipelineRun: number = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  uploadedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  indexedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;
}
