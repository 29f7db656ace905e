import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { auditHash } from './audit-hash';
import { AuditStore, SealedLink } from './audit-store';

const BATCH = 2000;

/**
 * Chains committed events. Writers (api requests, worker transactions) only insert; this fills
 * chain_seq, prev_hash and hash in id order among the unsealed rows it can see, continuing from
 * the tip. Because it only sees committed rows, an event whose transaction commits late (its id
 * lower than events already sealed) simply gets the next position on a later pass: the chain is
 * in commit-visibility order, ids may be out of order in it, and a rolled-back id is never a gap.
 * The api and the worker both run one; a transaction-scoped advisory lock lets one seal at a time,
 * and no request ever waits for it.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditSealer.name);
  private readonly store = new AuditStore();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sealPending().catch((err: unknown) => this.logger.warn(`sealing audit events failed, will retry: ${String(err)}`));
    }, this.config.audit.sealIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Seals everything committed so far (in batches); returns how many this call sealed. Single-flight per process. */
  sealPending(): Promise<number> {
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async drain(): Promise<number> {
    let total = 0;
    if (!(await this.store.hasUnsealed(this.orm.em.fork()))) return 0;
    for (;;) {
      const sealed = await this.sealBatch();
      total += sealed;
      if (sealed < BATCH) return total;
    }
  }

  /** One transaction: lock, read the tip and the oldest unsealed rows, chain them, write them back. */
  private sealBatch(): Promise<number> {
    return this.orm.em.fork().transactional(async (tx) => {
      if (!(await this.store.trySealLock(tx))) return 0;
      const rows = await this.store.unsealed(tx, BATCH);
      if (!rows.length) return 0;
      const tip = await this.store.tip(tx);
      let prev = tip.hash;
      let seq = tip.seq;
      const links: SealedLink[] = rows.map((row) => {
        seq += 1n;
        const chainSeq = seq.toString();
        const hash = auditHash({ ...row, chainSeq }, prev);
        const link = { id: row.id, chainSeq, prevHash: prev, hash };
        prev = hash;
        return link;
      });
      const written = await this.store.seal(tx, links);
      if (written !== links.length) throw new Error(`sealed ${written} of ${links.length} audit events; rolling back`);
      return written;
    });
  }
}
