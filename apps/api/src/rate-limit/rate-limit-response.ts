import type { Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';
import type { MetricsRegistry } from '../metrics/http-metrics';

export type Limiter = 'ip' | 'storage' | 'user';

/** Sets Retry-After (seconds) and returns the 429 the exception filter turns into the standard error body. */
export function tooManyRequests(res: Response, limiter: Limiter, retryAfterS: number, limit: number, windowS: number): ThrottlerException {
  res.setHeader('Retry-After', String(Math.max(1, retryAfterS)));
  const who = limiter === 'ip' ? 'this client address' : 'this user';
  return new ThrottlerException(`too many requests: ${limit} per ${windowS} s allowed for ${who}; retry after ${Math.max(1, retryAfterS)} s`);
}

/** The store (Redis) did not answer in time: the request goes through unlimited, and the response header and a metric say so. */
export function markUnlimited(res: Response, limiter: Limiter, metrics: MetricsRegistry): void {
  res.setHeader('X-RateLimit-Degraded', 'store-unavailable');
  metrics.rateLimitDegraded.inc({ limiter });
}
