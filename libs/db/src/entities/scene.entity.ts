import { ArrayType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { EMBEDDING_DIMENSIONS } from '../embedding-dimensions';
import { vectorProperty } from '../vector-property';
import { Video } from './video.entity';

@Entity({ tableName: 'scenes' })
@Unique({ name: 'scenes_video_index_uq', properties: ['video', 'index'] })
@Index({
  name: 'scenes_text_embedding_hnsw',
  expression: 'create index "scenes_text_embedding_hnsw" on "scenes" using hnsw ("text_embedding" vector_cosine_ops)',
})
@Index({
  name: 'scenes_visual_embedding_hnsw',
  expression: 'create index "scenes_visual_embedding_hnsw" on "scenes" using hnsw ("visual_embedding" vector_cosine_ops)',
})
export class Scene {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Video, { deleteRule: 'cascade' })
  video!: Video;

  /** Denormalised owner so every scene query is scoped without a join. */
  @Index({ name: 'scenes_user_idx' })
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'integer' })
  index!: number;

  @Property({ type: 'double' })
  startS!: number;

  @Property({ type: 'double' })
  endS!: number;

  @Property({ type: 'text', default: '' })
  transcript: string = '';

  @Property({ type: 'text', default: '' })
  ocrText: string = '';

  @Property({ type: ArrayType, columnType: 'text[]', default: '{}' })
  tags: string[] = [];

  @Property({ type: 'text', nullable: true })
  thumbnailKey: string | null = null;

  @Property(vectorProperty(EMBEDDING_DIMENSIONS.text, { nullable: true }))
  textEmbedding: number[] | null = null;

  @Property({ type: 'text', nullable: true })
  textEmbeddingModel: string | null = null;

  @Property(vectorProperty(EMBEDDING_DIMENSIONS.visual, { nullable: true }))
  visualEmbedding: number[] | null = null;

  @Property({ type: 'text', nullable: true })
  visualEmbeddingModel: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
