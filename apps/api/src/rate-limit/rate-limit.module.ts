import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type { Request } from 'express';
import type Redis from 'ioredis';
import type { AuthUser } from '../auth/auth-user';
import { API_REDIS, apiRedisKey } from '../redis/redis.module';
import { IpRateLimitMiddleware, StorageRateLimitMiddleware } from './ip-rate-limit.middleware';

/**
 * Rate limits on /v1, counted in Redis with @nestjs/throttler's storage for Redis: per client
 * address (middleware, before authentication) and per user (UserThrottlerGuard, after it).
 * Limits come from RATE_LIMIT_*; a 429 carries Retry-After and the standard error body.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, API_REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        storage: new ThrottlerStorageRedisService(redis),
        throttlers: [
          {
            name: 'user',
            ttl: config.rateLimit.windowS * 1000,
            limit: config.rateLimit.perUser,
            skipIf: (ctx) => config.rateLimit.perUser <= 0 || !ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>().user,
            getTracker: (req) => (req.user as AuthUser).id,
            generateKey: (_ctx, tracker, name) => apiRedisKey(config, 'rl', name, tracker),
          },
        ],
      }),
    }),
  ],
})
export class RateLimitModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(IpRateLimitMiddleware).forRoutes('v1/*path');
    consumer.apply(StorageRateLimitMiddleware).forRoutes('storage/*path');
  }
}
