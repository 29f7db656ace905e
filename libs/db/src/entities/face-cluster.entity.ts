import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Face } from './face.entity';

/**
 * A group of one user's unnamed scene face tracks that look alike (density-based, see
 * libs/faces/src/incremental-dbscan.ts), within one embedding model's space. Members point here
 * through faces.cluster_id; `size` is kept equal to their count by every write that changes it.
 */
@Entity({ tableName: 'face_clusters' })
export class FaceCluster {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index({ name: 'face_clusters_user_idx' })
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  embeddingModel!: string;

  @Property({ type: 'integer', default: 0 })
  size: number = 0;

  /** The member nearest the members' mean: its thumbnail shows the cluster. */
  @ManyToOne(() => Face, { nullable: true, deleteRule: 'set null', fieldName: 'representative_face_id' })
  representativeFace: Face | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
