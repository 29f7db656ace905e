import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { MikroORM } from '@mikro-orm/postgresql';
import { pendingMigrations } from '@heimdex/db';
import { QueueName, QueueRegistry } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';

const TIMEOUT_MS = 3000;

@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly orm: MikroORM,
    private readonly queues: QueueRegistry,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  database(): Promise<HealthIndicatorResult> {
    return this.probe('database', async () => {
      await this.orm.em.fork().execute('select 1');
    });
  }

  migrations(): Promise<HealthIndicatorResult> {
    return this.probe('migrations', async () => {
      const pending = await pendingMigrations(this.orm);
      if (pending.length) throw new Error(`pending: ${pending.join(', ')}`);
    });
  }

  redis(): Promise<HealthIndicatorResult> {
    return this.probe('redis', async () => {
      await this.queues.get(QueueName.Media).getJobCounts('waiting');
    });
  }

  objectStorage(): Promise<HealthIndicatorResult> {
    return this.probe('storage', () => this.storage.ping());
  }

  private async probe(key: string, check: () => Promise<void>): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    try {
      await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref())]);
      return session.up();
    } catch (err) {
      return session.down({ message: err instanceof Error ? err.message : String(err) });
    }
  }
}
