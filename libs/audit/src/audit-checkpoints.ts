import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import { CheckpointClaim, checkpointMacMatches, sha256OfStream } from './audit-checkpoint-proof';
import { GENESIS_HASH } from './audit-hash';
import { AuditStore, StoredCheckpoint } from './audit-store';

export interface CheckpointProof {
  /** The newest checkpoint proven along with every one before it; null when there is none. */
  proven: StoredCheckpoint | null;
  /** The first checkpoint that could not be proven, and why. Nothing after it is trusted. */
  unproven?: { checkpoint: StoredCheckpoint; reason: string };
}

/**
 * Proves the retention checkpoints in order: each is signed with the checkpoint key, starts where
 * the previous one ended and links to its hash, and its archive object exists with the SHA-256 it
 * claims. A row someone inserted straight into the database fails the signature; a removed or
 * altered archive fails the hash.
 */
@Injectable()
export class AuditCheckpoints {
  private readonly store = new AuditStore();

  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async prove(em: EntityManager): Promise<CheckpointProof> {
    let proven: StoredCheckpoint | null = null;
    for (const checkpoint of await this.store.checkpoints(em)) {
      const reason = await this.problem(checkpoint, proven);
      if (reason) return { proven, unproven: { checkpoint, reason: `checkpoint through chain position ${checkpoint.throughSeq} cannot be proven: ${reason}` } };
      proven = checkpoint;
    }
    return { proven };
  }

  private async problem(checkpoint: StoredCheckpoint, previous: StoredCheckpoint | null): Promise<string | null> {
    const { fromSeq, prevHash, archiveSha256 } = checkpoint;
    if (fromSeq === null || prevHash === null || archiveSha256 === null || !checkpoint.mac) return 'it is not signed';
    const claim: CheckpointClaim = { ...checkpoint, fromSeq, prevHash, archiveSha256 };
    if (!checkpointMacMatches(this.config.audit.checkpointKey, claim, checkpoint.mac)) return 'its signature does not match (not written by retention)';
    const expectedFrom = previous ? BigInt(previous.throughSeq) + 1n : 1n;
    if (BigInt(fromSeq) !== expectedFrom || prevHash !== (previous?.hash ?? GENESIS_HASH)) {
      return `it does not continue the chain from position ${expectedFrom - 1n}`;
    }
    if (!(await this.storage.stat(checkpoint.archiveKey))) return `its archive ${checkpoint.archiveKey} is missing`;
    const actual = await sha256OfStream(await this.storage.getStream(checkpoint.archiveKey));
    if (actual !== archiveSha256) return `its archive ${checkpoint.archiveKey} does not hash to the SHA-256 it claims`;
    return null;
  }
}
