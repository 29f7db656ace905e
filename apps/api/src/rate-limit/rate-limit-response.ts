import type { Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';

export type Limiter = 'ip' | 'user';

/** Sets Retry-After (seconds) and returns the 429 the exception filter turns into the standard error body. */
export function tooManyRequests(res: Response, limiter: Limiter, retryAfterS: number, limit: number, windowS: number): ThrottlerException {
  res.setHeader('Retry-After', String(Math.max(1, retryAfterS)));
  const who = limiter === 'ip' ? 'this client address' : 'this user';
  return new ThrottlerException(`too many requests: ${limit} per ${windowS} s allowed for ${who}; retry after ${Math.max(1, retryAfterS)} s`);
}
