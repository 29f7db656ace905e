import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import Redis from 'ioredis';

/** The api's own Redis connection (rate limits, webhook replay ids, dashboard sessions); BullMQ keeps its own. */
export const API_REDIS = Symbol('API_REDIS');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(API_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: API_REDIS,
      inject: [APP_CONFIG],
      // On the request path: no queue of commands while Redis is away, and a short timeout when it
      // does not answer (frozen); callers decide what a missing answer means.
      useFactory: (config: AppConfig) =>
        new Redis(config.redis.url, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          commandTimeout: config.worker.redisCommandTimeoutMs,
          connectTimeout: config.worker.redisCommandTimeoutMs,
        }),
    },
    RedisCloser,
  ],
  exports: [API_REDIS],
})
export class RedisModule {}

/** Keys of the api's own data in Redis, under the deployment's QUEUE_PREFIX. */
export function apiRedisKey(config: AppConfig, ...parts: string[]): string {
  return [config.redis.prefix, 'api', ...parts].join(':');
}
