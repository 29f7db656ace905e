import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueInTransaction, JobName } from '@heimdex/queue';
import { FaceIndexRepository } from './face-index.repository';

/**
 * Every change to who a user's people are (enrolment, deletion, merge, cluster assignment, a
 * new face model) goes through here, inside the transaction that makes it: the user's revision
 * goes up and a re-match job for that revision is queued through the outbox, so it runs only if
 * the change commits, and an older job still waiting yields to it.
 */
@Injectable()
export class RematchRequests {
  constructor(private readonly index: FaceIndexRepository) {}

  /** `tx` must hold the user's faces lock (FaceIndexRepository.lockUser). */
  async request(tx: EntityManager, userId: string, deletePhotoKeys: readonly string[] = []): Promise<number> {
    const revision = await this.index.bumpRevision(tx, userId);
    enqueueInTransaction(tx, JobName.FacesRematch, { userId, revision, deletePhotoKeys: [...deletePhotoKeys] });
    return revision;
  }
}
