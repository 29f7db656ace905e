import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { AuditCheckpoints } from './audit-checkpoints';
import { auditHash, GENESIS_HASH } from './audit-hash';
import { AuditStore } from './audit-store';

const BATCH = 5000;

export interface ChainVerification {
  ok: boolean;
  /** Events whose links and hashes were recomputed and matched. */
  checked: number;
  /** The first event that does not fit the chain (altered, reordered, or after a removed one). */
  firstBadId?: string;
  reason?: string;
  /** Chain position verification started after (the newest proven retention checkpoint), 0 from genesis. */
  fromSeq: string;
  /** A retention checkpoint that could not be proven (unsigned, forged, or its archive missing or altered). */
  unprovenCheckpoint?: { id: string; throughSeq: string; archiveKey: string };
  /** Events committed but not chained yet (sealing runs every AUDIT_SEAL_INTERVAL_MS). */
  unsealed: number;
}

/**
 * Proves the retention checkpoints (AuditCheckpoints), then recomputes the chain from the newest
 * proven one (or genesis) in chain order, reading in keyset batches so memory stays flat however
 * long the chain is. An unproven checkpoint fails verification and is not started from, so events
 * removed under a forged one show up as missing.
 */
@Injectable()
export class AuditVerifier {
  private readonly store = new AuditStore();

  constructor(
    private readonly orm: MikroORM,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  async verify(): Promise<ChainVerification> {
    const em = this.orm.em.fork();
    const { proven: checkpoint, unproven } = await this.checkpoints.prove(em);
    const fromSeq = checkpoint ? BigInt(checkpoint.throughSeq) : 0n;
    let prev = checkpoint?.hash ?? GENESIS_HASH;
    let expected = fromSeq + 1n;
    let checked = 0;
    const result = (bad?: { id: string; reason: string }): Promise<ChainVerification> =>
      this.store.countUnsealed(em).then((unsealed) => ({
        ok: !bad && !unproven,
        checked,
        ...(bad ? { firstBadId: bad.id } : {}),
        ...(bad || unproven ? { reason: [unproven?.reason, bad?.reason].filter(Boolean).join('; ') } : {}),
        fromSeq: fromSeq.toString(),
        ...(unproven
          ? { unprovenCheckpoint: { id: unproven.checkpoint.id, throughSeq: unproven.checkpoint.throughSeq, archiveKey: unproven.checkpoint.archiveKey } }
          : {}),
        unsealed,
      }));
    for (;;) {
      const rows = await this.store.chain(em, expected, BATCH);
      if (!rows.length) return result();
      for (const row of rows) {
        const seq = BigInt(row.chainSeq);
        if (seq !== expected) return result({ id: row.id, reason: `events are missing before this one: chain position ${expected} expected, found ${seq}` });
        if (row.prevHash !== prev) return result({ id: row.id, reason: "prevHash is not the previous event's hash" });
        if (auditHash(row, prev) !== row.hash) return result({ id: row.id, reason: "hash does not match the event's contents" });
        prev = row.hash;
        expected += 1n;
        checked += 1;
      }
    }
  }
}
