import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import type Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { API_REDIS, apiRedisKey } from '../../redis/redis.module';

export const BOARD_TICKET_TTL_S = 60;
export const BOARD_SESSION_TTL_S = 15 * 60;
export const BOARD_COOKIE = 'heimdex_board';

/**
 * Access to the queue dashboard, whose pages a browser loads without a bearer header. An admin
 * (bearer token) gets a one-time ticket valid for a minute; opening the ticket URL swaps it for
 * a random session id in an HttpOnly, SameSite=Strict cookie scoped to the dashboard path, valid
 * 15 minutes. Both live in Redis (any api instance can check them), stored under their SHA-256
 * so a Redis dump shows no usable token.
 */
@Injectable()
export class BoardSessions {
  constructor(
    @Inject(API_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issueTicket(adminId: string): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = randomBytes(32).toString('base64url');
    await this.redis.set(this.key('ticket', ticket), adminId, 'EX', BOARD_TICKET_TTL_S);
    return { ticket, expiresAt: new Date(Date.now() + BOARD_TICKET_TTL_S * 1000) };
  }

  /** Single use: the ticket is gone after this, whether or not it was valid. */
  async redeem(ticket: string): Promise<{ sessionId: string; adminId: string } | null> {
    const adminId = await this.redis.getdel(this.key('ticket', ticket));
    if (!adminId) return null;
    const sessionId = randomBytes(32).toString('base64url');
    await this.redis.set(this.key('session', sessionId), adminId, 'EX', BOARD_SESSION_TTL_S);
    return { sessionId, adminId };
  }

  /** The admin a dashboard session belongs to, or null. */
  check(sessionId: string): Promise<string | null> {
    return this.redis.get(this.key('session', sessionId));
  }

  private key(kind: 'ticket' | 'session', token: string): string {
    return apiRedisKey(this.config, 'board', kind, createHash('sha256').update(token).digest('hex'));
  }
}

/** One cookie's value from a Cookie header (no cookie-parser for one cookie). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
