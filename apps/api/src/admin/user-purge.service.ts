import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { enqueueInTransaction, JobName, OutboxDispatcher, UserPurgePayload } from '@heimdex/queue';

/**
 * Queues the purge of everything a user owns (the worker's user_purge job) through the
 * transactional outbox, so the request that asked for it and the job agree even if Redis is
 * down for a moment. Used by the Supabase webhook (user.deleted) and by admins.
 */
@Injectable()
export class UserPurgeService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxDispatcher,
  ) {}

  async request(userId: string, reason: UserPurgePayload['reason']): Promise<string> {
    const payload: UserPurgePayload = { userId, requestedAt: new Date().toISOString(), reason };
    const msg = await this.em.fork().transactional((tx) => Promise.resolve(enqueueInTransaction(tx, JobName.UserPurge, payload)));
    this.outbox.kick();
    return msg.jobId;
  }
}
