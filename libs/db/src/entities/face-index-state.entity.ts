import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Per user: `revision` goes up with every change to who their people are (enrolment, deletion,
 * merge, cluster assignment). A re-match job carries the revision it was queued for, so an older
 * job yields to a newer one; `clusterParams` records the eps/min-size the clusters were built with.
 */
@Entity({ tableName: 'face_index_states' })
export class FaceIndexState {
  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'integer', default: 0 })
  revision: number = 0;

  @Property({ type: 'text', nullable: true })
  clusterParams: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
