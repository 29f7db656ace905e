import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { AuditOutcome } from '@heimdex/db';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { checkpointMac, CheckpointClaim } from './audit-checkpoint-proof';
import { AuditCheckpoints } from './audit-checkpoints';
import { auditHash, GENESIS_HASH } from './audit-hash';
import { AuditStore } from './audit-store';
import { recordSystemEvent } from './record-audit-event';

const READ_BATCH = 2000;
/** Events per archive object: one run writes as many objects as it needs. */
const MAX_PER_ARCHIVE = 100_000;

export interface RetentionRun {
  archived: number;
  archives: string[];
}

/** Where an archive of chain positions [from, to] lives; zero-padded so keys sort in chain order. */
export function auditArchiveKey(fromSeq: bigint, toSeq: bigint): string {
  return `audit/archive/${fromSeq.toString().padStart(15, '0')}-${toSeq.toString().padStart(15, '0')}.ndjson`;
}

/**
 * Moves events older than the retention period out of the database: the oldest run of the chain
 * is written to storage as NDJSON (a header line with the hash it continues from, one line per
 * event with exactly the fields the hash covers, a checkpoint line with the last hash), re-verified
 * while it is written, and only then removed together with a new checkpoint row, so verification of
 * what remains starts from that checkpoint and still holds. The row is signed (AUDIT_CHECKPOINT_KEY)
 * over what it claims, the archive's SHA-256 included, so a checkpoint inserted by anyone else
 * does not verify (AuditCheckpoints).
 */
@Injectable()
export class AuditRetention {
  private readonly logger = new Logger(AuditRetention.name);
  private readonly store = new AuditStore();

  constructor(
    private readonly orm: MikroORM,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  async run(now = new Date()): Promise<RetentionRun> {
    const out: RetentionRun = { archived: 0, archives: [] };
    if (this.config.audit.retentionDays <= 0) return out;
    const cutoff = new Date(now.getTime() - this.config.audit.retentionDays * 86_400_000);
    for (;;) {
      const em = this.orm.em.fork();
      const last = await this.store.expiredThrough(em, cutoff);
      // Never continue from a checkpoint retention cannot prove it wrote: that would launder a forgery.
      const { proven: tip, unproven } = await this.checkpoints.prove(em);
      if (unproven) throw new Error(`${unproven.reason}; retention stopped, nothing removed`);
      const start = tip ? BigInt(tip.throughSeq) : 0n;
      if (last === null || last <= start) return out;
      const through = last - start > BigInt(MAX_PER_ARCHIVE) ? start + BigInt(MAX_PER_ARCHIVE) : last;
      const key = await this.archive(start, tip?.hash ?? GENESIS_HASH, through);
      out.archived += Number(through - start);
      out.archives.push(key);
    }
  }

  /** Archives chain positions (start, through] and removes them. Returns the object key. */
  private async archive(start: bigint, startHash: string, through: bigint): Promise<string> {
    const key = auditArchiveKey(start + 1n, through);
    let lastHash = startHash;
    let count = 0;
    const store = this.store;
    const em = this.orm.em.fork();
    const digest = createHash('sha256');
    async function* lines(): AsyncGenerator<string> {
      for await (const line of content()) {
        digest.update(line);
        yield line;
      }
    }
    async function* content(): AsyncGenerator<string> {
      yield `${JSON.stringify({ kind: 'heimdex.audit.archive', version: 1, fromSeq: (start + 1n).toString(), toSeq: through.toString(), prevHash: startHash })}\n`;
      let next = start + 1n;
      while (next <= through) {
        const rows = await store.chain(em, next, READ_BATCH, through);
        if (!rows.length) break;
        for (const row of rows) {
          // Archive only a chain that still verifies: a tampered run must not be laundered into storage and deleted.
          if (BigInt(row.chainSeq) !== next || row.prevHash !== lastHash || auditHash(row, lastHash) !== row.hash) {
            throw new Error(`audit chain does not verify at event ${row.id} (position ${row.chainSeq}); retention stopped, nothing removed`);
          }
          lastHash = row.hash;
          next += 1n;
          count += 1;
          yield `${JSON.stringify(row)}\n`;
        }
      }
      if (next <= through) throw new Error(`audit chain positions ${next}..${through} are missing; retention stopped, nothing removed`);
      yield `${JSON.stringify({ kind: 'checkpoint', throughSeq: through.toString(), hash: lastHash, events: count })}\n`;
    }
    try {
      await this.storage.put(key, Readable.from(lines()), { contentType: 'application/x-ndjson' });
    } catch (err) {
      await this.storage.deletePrefix(key).catch(() => undefined);
      throw err;
    }
    const claim: CheckpointClaim = {
      fromSeq: (start + 1n).toString(),
      prevHash: startHash,
      throughSeq: through.toString(),
      hash: lastHash,
      events: count,
      archiveKey: key,
      archiveSha256: digest.digest('hex'),
    };
    await this.orm.em.fork().transactional(async (tx) => {
      const removed = await this.store.removeArchived(tx, { ...claim, mac: checkpointMac(this.config.audit.checkpointKey, claim) });
      if (removed !== count) throw new Error(`retention removed ${removed} events but archived ${count}; rolled back`);
      await recordSystemEvent(tx, {
        action: 'audit.archived',
        resourceType: 'audit',
        resourceId: key,
        outcome: AuditOutcome.Success,
        details: { fromSeq: (start + 1n).toString(), throughSeq: through.toString(), events: count, checkpointHash: lastHash },
      });
    });
    this.logger.log(`archived ${count} audit event(s) (chain ${start + 1n}..${through}) to ${key}`);
    return key;
  }
}
