import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { FaceIndexRepository } from './face-index.repository';
import type { DbscanStore, PlacedPoint } from './incremental-dbscan';

/** Incremental DBSCAN's points: one user's unnamed scene tracks of one model, in the database, within one transaction. */
export class FaceClusterStore implements DbscanStore {
  constructor(
    private readonly tx: EntityManager,
    private readonly index: FaceIndexRepository,
    private readonly space: { userId: string; model: string; eps: number },
  ) {}

  neighbours(id: string): Promise<PlacedPoint[]> {
    return this.index.clusterNeighbours(this.tx, id, this.space.eps);
  }

  neighbourCounts(ids: readonly string[]): Promise<Map<string, number>> {
    return this.index.clusterNeighbourCounts(this.tx, ids, this.space.eps);
  }

  markPlaced(id: string): Promise<void> {
    return this.index.markClustered(this.tx, id);
  }

  async createCluster(): Promise<string> {
    const id = randomUUID();
    await this.index.createCluster(this.tx, id, this.space.userId, this.space.model);
    return id;
  }

  assign(ids: readonly string[], clusterId: string): Promise<void> {
    return this.index.setCluster(this.tx, ids, clusterId);
  }

  mergeClusters(into: string, from: readonly string[]): Promise<void> {
    return this.index.mergeClusters(this.tx, into, from);
  }
}
