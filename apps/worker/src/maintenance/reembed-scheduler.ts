import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { enqueueInTransaction, JobName, OutboxDispatcher } from '@heimdex/queue';
import { ModelEngines } from '../models/model-engines';

/** At start: when scenes hold vectors from a model other than the configured one, queue their re-embedding. */
@Injectable()
export class ReembedScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReembedScheduler.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly models: ModelEngines,
    private readonly outbox: OutboxDispatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted: { kind: 'text' | 'visual'; column: string; model: string }[] = [];
    const { text, clip } = this.models;
    if (text.available) wanted.push({ kind: 'text', column: 'text_embedding_model', model: `${text.engine.model.name}@${text.engine.model.version}` });
    if (clip.available) wanted.push({ kind: 'visual', column: 'visual_embedding_model', model: `${clip.engine.model.name}@${clip.engine.model.version}` });
    for (const w of wanted) {
      await this.orm.em.fork().transactional(async (tx) => {
        // tx.execute, not a connection of its own: on PGlite a second connection waits for this transaction.
        const stale = await tx.execute<{ n: string }[]>(
          `select count(*) as n from scenes where copy_of is null and ${w.column} is not null and ${w.column} <> ?`,
          [w.model],
        );
        const n = Number(stale[0]?.n ?? 0);
        if (!n) return;
        this.logger.log(`${n} scene(s) have ${w.kind} vectors from another model: queueing re-embedding with ${w.model}`);
        enqueueInTransaction(tx, JobName.ReembedScenes, { kind: w.kind, model: w.model });
      });
    }
    this.outbox.kick();
  }
}
