import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { EMBEDDING_DIMENSIONS } from '../embedding-dimensions';
import { vectorProperty } from '../vector-property';
import { FaceSource } from '../enums';
import { FaceCluster } from './face-cluster.entity';
import { Person } from './person.entity';
import { Scene } from './scene.entity';
import { Video } from './video.entity';

/** A face embedding: an enrolment photo of a person, or a face track found in a scene. */
@Entity({ tableName: 'faces' })
@Index({
  name: 'faces_embedding_hnsw',
  expression: 'create index "faces_embedding_hnsw" on "faces" using hnsw ("embedding" vector_cosine_ops)',
})
@Index({
  name: 'faces_unnamed_idx',
  expression: `create index "faces_unnamed_idx" on "faces" ("user_id", "embedding_model") where "source" = 'detection' and "person_id" is null`,
})
export class Face {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index({ name: 'faces_user_idx' })
  @Property({ type: 'uuid' })
  userId!: string;

  @Enum({ items: () => FaceSource, nativeEnumName: 'face_source' })
  source!: FaceSource;

  @Index({ name: 'faces_person_idx' })
  @ManyToOne(() => Person, { nullable: true, deleteRule: 'set null' })
  person: Person | null = null;

  @ManyToOne(() => Video, { nullable: true, deleteRule: 'cascade' })
  video: Video | null = null;

  @ManyToOne(() => Scene, { nullable: true, deleteRule: 'cascade' })
  scene: Scene | null = null;

  @Property(vectorProperty(EMBEDDING_DIMENSIONS.face))
  embedding!: number[];

  /** Embeddings from different models never share a comparison. */
  @Property({ type: 'text' })
  embeddingModel!: string;

  @Property({ type: 'double', nullable: true })
  confidence: number | null = null;

  @Property({ type: 'double', nullable: true })
  frameS: number | null = null;

  @Property({ type: 'json', nullable: true })
  box: { x: number; y: number; width: number; height: number } | null = null;

  @Property({ type: 'text', nullable: true })
  thumbnailKey: string | null = null;

  /** Expression probabilities of the track's best frame (face-api's expression model). */
  @Property({ type: 'json', nullable: true })
  expressions: Record<string, number> | null = null;

  /** Sampled frames of the scene in which this track's face was seen. */
  @Property({ type: 'integer', default: 1 })
  frameCount: number = 1;

  /** Unnamed scene tracks only: the cluster of look-alikes this track belongs to. */
  @Index({ name: 'faces_cluster_idx' })
  @ManyToOne(() => FaceCluster, { nullable: true, deleteRule: 'set null' })
  cluster: FaceCluster | null = null;

  /** Unnamed scene tracks only: already placed by the clusterer (in a cluster, or as noise). */
  @Property({ type: 'boolean', default: false })
  clustered: boolean = false;

  /** Enrolments only: the photo, kept (under the user's storage prefix) when the user asked for it. */
  @Property({ type: 'text', nullable: true })
  photoKey: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
