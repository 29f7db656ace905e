import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { OutboxMessage } from '@heimdex/db';
import { isJobName, JobName, JobPayloads } from './job-names';
import { QueueRegistry } from './queue-registry';
import { withTimeout } from './queue-store-timeout';

const BATCH = 100;
const ADD_TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 60_000;
/** After this many failures in one pass Redis is probably down: stop and wait for the next tick. */
const MAX_FAILURES_PER_PASS = 3;

/**
 * Moves committed outbox rows to BullMQ. Runs in the api and the worker; both may pick the
 * same row, which is harmless because the BullMQ job id is deterministic. No transaction is
 * held while talking to Redis, so an outage never blocks the database.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private rerun = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.worker.outboxPollMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * Stops in the first shutdown phase: BullMQ closes its queues and MikroORM its pool in the
   * last one, and a drain caught between them waits on the pool's 60 s acquire timeout.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Dispatch now rather than at the next tick (called right after a commit). */
  kick(): void {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => {
        this.logger.warn(`outbox drain failed: ${String(err)}`);
        return 0;
      })
      .finally(() => {
        this.running = null;
        if (this.rerun && this.timer) {
          this.rerun = false;
          this.kick();
        }
      });
  }

  /** One pass over due messages; returns how many reached BullMQ. */
  async drain(): Promise<number> {
    const em = this.orm.em.fork();
    const due = await em.find(OutboxMessage, { dispatchedAt: null, availableAt: { $lte: new Date() } }, { orderBy: { id: 'asc' }, limit: BATCH });
    const sent: string[] = [];
    let failures = 0;
    for (const msg of due) {
      try {
        if (!isJobName(msg.jobName)) throw new Error(`unknown job name ${msg.jobName}`);
        await withTimeout(this.queues.add(msg.jobName, msg.payload as unknown as JobPayloads[JobName], msg.jobId), ADD_TIMEOUT_MS);
        sent.push(msg.id);
      } catch (err) {
        msg.attempts += 1;
        msg.lastError = String(err instanceof Error ? err.message : err).slice(0, 1000);
        msg.availableAt = new Date(Date.now() + Math.min(MAX_BACKOFF_MS, 500 * 2 ** msg.attempts));
        this.logger.warn(`outbox message ${msg.id} (${msg.jobName}) not dispatched, retrying: ${msg.lastError}`);
        // One bad message must not block the others; several failures mean Redis is down.
        if (++failures >= MAX_FAILURES_PER_PASS) break;
      }
    }
    if (sent.length) await em.nativeUpdate(OutboxMessage, { id: { $in: sent } }, { dispatchedAt: new Date() });
    await em.flush();
    return sent.length;
  }
}
