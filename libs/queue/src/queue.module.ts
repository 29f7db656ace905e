import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { RedisOptions } from 'bullmq';
import type { AppConfig } from '@heimdex/config';
import { QueueName } from './queue-names';
import { OutboxDispatcher } from './outbox-dispatcher';
import { QueueRegistry } from './queue-registry';

const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  // Completed jobs are kept a day so a re-dispatched outbox row still dedupes by job id.
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

@Global()
@Module({})
export class QueueModule {
  /** `role` picks connection behaviour: producers fail fast while Redis is down, consumers wait. */
  static forRoot(config: AppConfig, role: 'producer' | 'consumer'): DynamicModule {
    const connection: RedisOptions =
      role === 'producer'
        ? { url: config.redis.url, enableOfflineQueue: false, maxRetriesPerRequest: 1 }
        : { url: config.redis.url, maxRetriesPerRequest: null };
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({ connection, prefix: config.redis.prefix }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name, defaultJobOptions: DEFAULT_JOB_OPTIONS }))),
      ],
      providers: [QueueRegistry, OutboxDispatcher],
      exports: [BullModule, QueueRegistry, OutboxDispatcher],
    };
  }
}
