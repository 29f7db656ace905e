import { Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type { NextFunction, Request, Response } from 'express';
import { clientIp } from '../audit/client-ip';
import { HttpAuditRecorder } from '../audit/http-audit-recorder';
import { apiRedisKey } from '../redis/redis.module';
import { MetricsRegistry } from '../metrics/http-metrics';
import { Limiter, markUnlimited, tooManyRequests } from './rate-limit-response';

/**
 * Per client address, before authentication: floods of bad or missing tokens are limited too
 * (and never reach the database). A middleware, so it runs ahead of every guard. Counts live in
 * Redis (shared by every api instance) through the throttler's storage. If Redis cannot answer
 * within REDIS_COMMAND_TIMEOUT_MS, requests pass (marked, see markUnlimited): the limiter is a
 * guard against abuse, not a dependency of serving.
 */
@Injectable()
export class IpRateLimitMiddleware implements NestMiddleware {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly audit: HttpAuditRecorder,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    protected readonly metrics: MetricsRegistry,
  ) {}

  /** Which counter this limiter keeps, and its limit per window. */
  protected bucket(): { name: Limiter; limit: number } {
    return { name: 'ip', limit: this.config.rateLimit.perIp };
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const { windowS } = this.config.rateLimit;
    const { name, limit } = this.bucket();
    if (limit <= 0) return next();
    const ip = clientIp(req) ?? 'unknown';
    let record;
    try {
      const ms = windowS * 1000;
      record = await this.storage.increment(apiRedisKey(this.config, 'rl', name, ip), ms, limit, ms, name);
    } catch (err) {
      if (Date.now() - this.lastWarning > 30_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limit store unavailable, not limiting: ${String(err)}`);
      }
      markUnlimited(res, name, this.metrics);
      return next();
    }
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - record.totalHits)));
    if (!record.isBlocked) return next();
    if (record.totalHits === limit + 1) await this.audit.recordRateLimited(req, 'ip', limit, windowS);
    throw tooManyRequests(res, name, record.timeToBlockExpire, limit, windowS);
  }
}

/** The embedded storage's signed URLs (/storage): their own, smaller, per-address budget. */
@Injectable()
export class StorageRateLimitMiddleware extends IpRateLimitMiddleware {
  protected override bucket(): { name: Limiter; limit: number } {
    return { name: 'storage', limit: this.config.rateLimit.storagePerIp };
  }
}
