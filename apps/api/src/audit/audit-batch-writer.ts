import { Injectable, Logger } from '@nestjs/common';
import type { RequiredEntityData } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { AuditEvent } from '@heimdex/db';

const MAX_BATCH = 500;

interface Pending {
  row: RequiredEntityData<AuditEvent>;
  done: (err?: unknown) => void;
}

/**
 * Group commit for request events: while one INSERT is in flight, the events of other requests
 * queue up and go together in the next one. No timer, so a lone request waits for exactly one
 * insert; under load, N concurrent requests share a few commits (and pool connections) instead of
 * taking N. Every caller still waits until its own event is committed.
 */
@Injectable()
export class AuditBatchWriter {
  private readonly logger = new Logger(AuditBatchWriter.name);
  private queue: Pending[] = [];
  private inFlight = false;

  constructor(private readonly orm: MikroORM) {}

  write(row: RequiredEntityData<AuditEvent>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight || !this.queue.length) return;
    this.inFlight = true;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.insert(batch).finally(() => {
      this.inFlight = false;
      this.pump();
    });
  }

  /** One statement for the batch; if it fails, each event alone, so one bad row cannot lose the others. */
  private async insert(batch: Pending[]): Promise<void> {
    try {
      await this.orm.em.fork().insertMany(
        AuditEvent,
        batch.map((p) => p.row),
      );
      for (const p of batch) p.done();
    } catch (err) {
      if (batch.length === 1) return batch[0].done(err);
      this.logger.warn(`batch of ${batch.length} audit events failed, writing them one by one: ${String(err)}`);
      for (const p of batch) {
        await this.orm.em
          .fork()
          .insert(AuditEvent, p.row)
          .then(
            () => p.done(),
            (e: unknown) => p.done(e ?? new Error('insert failed')),
          );
      }
    }
  }
}
