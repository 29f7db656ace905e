import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { FaceClusterStore } from './face-cluster-store';
import { FaceIndexRepository } from './face-index.repository';
import { insertPoint } from './incremental-dbscan';

export interface ClusterRun {
  /** Tracks placed (into a cluster or as noise). */
  placed: number;
  /** Clusters dissolved because they lost members; their members were placed again. */
  dissolved: number;
  /** Whether the clusters were rebuilt from scratch because eps or the minimum size changed. */
  reset: boolean;
}

/**
 * Clusters a user's unnamed scene face tracks incrementally, one model's space at a time: only
 * tracks not yet placed are inserted (each in its own short transaction under the user's faces
 * lock, so concurrent runs for one user interleave safely), clusters that lost members are
 * dissolved and their members placed again, and a change of FACE_CLUSTER_EPS or
 * FACE_CLUSTER_MIN_SIZE rebuilds the user's clusters.
 */
@Injectable()
export class FaceClusterer {
  constructor(
    private readonly orm: MikroORM,
    private readonly index: FaceIndexRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get params(): { eps: number; minSize: number; key: string } {
    const { faceClusterEps: eps, faceClusterMinSize: minSize } = this.config.ml;
    return { eps, minSize, key: `eps=${eps};min=${minSize}` };
  }

  async clusterUser(userId: string): Promise<ClusterRun> {
    const { eps, minSize, key } = this.params;
    const run: ClusterRun = { placed: 0, dissolved: 0, reset: false };
    run.reset = await this.orm.em.fork().transactional(async (tx) => {
      await this.index.lockUser(tx, userId);
      if ((await this.index.clusterParams(tx, userId)) === key) return false;
      await this.index.resetClusters(tx, userId, key);
      return true;
    });
    for (const model of await this.index.clusterModels(this.orm.em.fork(), userId)) {
      run.dissolved += await this.orm.em.fork().transactional(async (tx) => {
        await this.index.lockUser(tx, userId);
        return this.index.dissolveShrunkClusters(tx, userId, model);
      });
      for (;;) {
        const placed = await this.orm.em.fork().transactional(async (tx) => {
          await this.index.lockUser(tx, userId);
          const id = await this.index.nextUnclustered(tx, userId, model);
          if (!id) return false;
          const { touched } = await insertPoint(new FaceClusterStore(tx, this.index, { userId, model, eps }), id, minSize);
          await this.index.refreshClusters(tx, touched);
          return true;
        });
        if (!placed) break;
        run.placed++;
      }
    }
    return run;
  }
}
