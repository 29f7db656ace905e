import { ArrayType, Entity, Enum, Filter, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { EMBEDDING_DIMENSIONS } from '../embedding-dimensions';
import type { SceneFrame, SceneModeration, SceneObject, SceneOcrLine, SceneTag, SceneWord, TranscriptSource } from '../derived-data';
import { ContentRating } from '../enums';
import { vectorProperty } from '../vector-property';
import { Video } from './video.entity';

@Entity({ tableName: 'scenes' })
// ORM queries see the pipeline's scenes only, never the committed copies (`filters: false` shows them).
@Filter({ name: 'working', cond: { copyOf: null }, default: true })
@Index({
  name: 'scenes_video_index_uq',
  expression: 'create unique index "scenes_video_index_uq" on "scenes" ("video_id", "index") where "copy_of" is null',
})
@Index({
  name: 'scenes_copy_of_idx',
  expression: 'create index "scenes_copy_of_idx" on "scenes" ("copy_of") where "copy_of" is not null',
})
@Index({
  name: 'scenes_text_embedding_hnsw',
  expression: 'create index "scenes_text_embedding_hnsw" on "scenes" using hnsw ("text_embedding" vector_cosine_ops) with (m = 16, ef_construction = 128)',
})
@Index({
  name: 'scenes_search_vector_gin',
  // Owner first (btree_gin): a search reads only the caller's matches, not everyone's.
  expression: 'create index "scenes_search_vector_gin" on "scenes" using gin ("user_id", "search_vector")',
})
@Index({
  name: 'scenes_search_text_trgm',
  expression: 'create index "scenes_search_text_trgm" on "scenes" using gin ("user_id", "search_text" gin_trgm_ops)',
})
@Index({
  name: 'scenes_phonetic_keys_gin',
  expression: 'create index "scenes_phonetic_keys_gin" on "scenes" using gin ("user_id", "phonetic_keys")',
})
@Index({
  name: 'scenes_objects_gin',
  expression: 'create index "scenes_objects_gin" on "scenes" using gin ("objects" jsonb_path_ops)',
})
@Index({
  name: 'scenes_visual_embedding_hnsw',
  expression: 'create index "scenes_visual_embedding_hnsw" on "scenes" using hnsw ("visual_embedding" vector_cosine_ops) with (m = 16, ef_construction = 128)',
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

  /**
   * Null on the scenes the pipeline reads and writes. Set on a committed copy: a re-run of an
   * indexed video first copies its scenes (the version search serves) and the copies point at the
   * scene they were copied from (its faces stay there). Search and the scenes API serve the copies
   * until the commit stage deletes them in the transaction that makes the video indexed again.
   */
  @Property({ type: 'uuid', nullable: true })
  copyOf: string | null = null;

  @Property({ type: 'double' })
  startS!: number;

  @Property({ type: 'double' })
  endS!: number;

  @Property({ type: 'text', default: '' })
  transcript: string = '';

  /** Where the scene's transcript words came from; null when it has none. */
  @Property({ type: 'text', nullable: true })
  transcriptSource: TranscriptSource | null = null;

  @Property({ type: 'text', default: '' })
  ocrText: string = '';

  /** Words of the transcript inside this scene, in time order. */
  @Property({ type: 'json', default: '[]' })
  words: SceneWord[] = [];

  /** Distinct on-screen text lines, from every sampled frame of the scene. */
  @Property({ type: 'json', default: '[]' })
  ocrLines: SceneOcrLine[] = [];

  @Property({ type: ArrayType, columnType: 'text[]', default: '{}' })
  tags: string[] = [];

  /** The tags with their score, source and model. */
  @Property({ type: 'json', default: '[]' })
  tagScores: SceneTag[] = [];

  /** COCO objects detected on the scene's frames (vision_objects), best confidence first. */
  @Property({ type: 'json', default: '[]' })
  objects: SceneObject[] = [];
  /** Language of the scene's transcript and on-screen text (ISO 639-1, language_detect); null: unknown. */
  @Property({ type: 'text', nullable: true })
  language: string | null = null;
  /** Content moderation's scores (vision_moderation); null until it ran. */
  @Property({ type: 'json', nullable: true })
  moderation: SceneModeration | null = null;
  /** The scene's rating under the thresholds of the run that rated it; null: not rated. */
  @Enum({ items: () => ContentRating, nativeEnumName: 'content_rating', nullable: true })
  contentRating: ContentRating | null = null;
  /** Frames kept for the visual stages (one decode pass). */
  @Property({ type: 'json', default: '[]' })
  frames: SceneFrame[] = [];

  /**
   * Full-text document of the scene, written by a database trigger (`heimdex_scene_search_fields`,
   * see the search migration) on every change of the transcript, on-screen text or tags, and of the
   * video's title, description or language: transcript (weight A), on-screen text (B), tags (C),
   * title and description (D) under the `simple` configuration, which works for any language,
   * plus stemmed transcript and on-screen text in the scene's language (else the video's) when
   * Postgres has a configuration for it. A trigger rather than a generated column because the title, description
   * and language live on the video row.
   */
  @Property({ type: 'tsvector', columnType: 'tsvector', lazy: true, hidden: true, nullable: true })
  searchVector?: string;

  /** The same text, plain, for pg_trgm typo tolerance; written by the same trigger. */
  @Property({ type: 'text', lazy: true, hidden: true, nullable: true })
  searchText?: string;

  /**
   * Double Metaphone keys of the transcript's words when speech recognition wrote it (empty for
   * captions), so search finds words that sound like the query's; written by a database trigger
   * (`heimdex_scene_phonetic_keys`, see the phonetic keys migration).
   */
  @Property({ type: ArrayType, columnType: 'text[]', default: '{}', lazy: true, hidden: true })
  phoneticKeys?: string[];

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

  /**
   * Re-embedding after a model change writes here; search keeps reading the columns above
   * until every scene has the new vector, then one statement swaps them.
   */
  @Property(vectorProperty(EMBEDDING_DIMENSIONS.text, { nullable: true }))
  textEmbeddingNext: number[] | null = null;

  @Property({ type: 'text', nullable: true })
  textEmbeddingNextModel: string | null = null;

  @Property(vectorProperty(EMBEDDING_DIMENSIONS.visual, { nullable: true }))
  visualEmbeddingNext: number[] | null = null;

  @Property({ type: 'text', nullable: true })
  visualEmbeddingNextModel: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
