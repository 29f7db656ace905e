import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Transactional outbox: a job is written here in the same transaction as the state
 * change that needs it, and the dispatcher moves it to BullMQ. A Redis outage delays
 * jobs; it cannot lose them.
 */
@Entity({ tableName: 'outbox_messages' })
@Index({
  name: 'outbox_messages_pending_idx',
  expression: 'create index "outbox_messages_pending_idx" on "outbox_messages" ("available_at", "id") where "dispatched_at" is null',
})
export class OutboxMessage {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  jobName!: string;

  /** Deterministic BullMQ job id: re-dispatching the same message is a no-op. */
  @Property({ type: 'text' })
  jobId!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  availableAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null = null;
}
