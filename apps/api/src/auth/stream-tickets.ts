import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { API_REDIS, apiRedisKey } from '../redis/redis.module';
import type { AuthUser } from './auth-user';

export const STREAM_TICKET_TTL_S = 30;

/**
 * A browser's EventSource cannot send an Authorization header, so the console asks (with its
 * bearer token) for a ticket and opens `/events?ticket=`. A ticket is random, single use, valid
 * STREAM_TICKET_TTL_S seconds and bound to one purpose, one resource and the user who asked; it
 * carries that user's verified claims (not the token). Stored in Redis under its SHA-256; with
 * Redis away (the api's client times out after REDIS_COMMAND_TIMEOUT_MS) issuing and redeeming
 * answer 503, and a stream opened with the Authorization header needs no ticket.
 */
@Injectable()
export class StreamTickets {
  constructor(
    @Inject(API_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(user: AuthUser, purpose: string, resourceId: string): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    await unavailableAs503(this.redis.set(this.key(ticket), JSON.stringify({ purpose, resourceId, user }), 'EX', STREAM_TICKET_TTL_S));
    return { ticket, expiresAt: new Date(Date.now() + STREAM_TICKET_TTL_S * 1000) };
  }

  /** The user the ticket was issued to, or null (unknown, expired, used, or for something else). Gone after this call either way. */
  async redeem(ticket: string, purpose: string, resourceId: string): Promise<AuthUser | null> {
    if (!/^[\w-]{43}$/.test(ticket)) return null;
    const raw = await unavailableAs503(this.redis.getdel(this.key(ticket)));
    if (!raw) return null;
    const grant = JSON.parse(raw) as { purpose: string; resourceId: string; user: AuthUser };
    return grant.purpose === purpose && grant.resourceId === resourceId ? grant.user : null;
  }

  private key(ticket: string): string {
    return apiRedisKey(this.config, 'stream-ticket', createHash('sha256').update(ticket).digest('hex'));
  }
}

function unavailableAs503<T>(command: Promise<T>): Promise<T> {
  return command.catch((err: unknown) => {
    throw new ServiceUnavailableException(`stream ticket store unavailable (Redis did not answer): ${err instanceof Error ? err.message : String(err)}`);
  });
}
