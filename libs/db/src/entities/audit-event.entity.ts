import { BigIntType, Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { ActorRole, AuditOutcome } from '../enums';

/**
 * One audited action. Rows are inserted unsealed (prevHash, hash and chainSeq null); the sealer
 * (libs/audit) chains them in the order it sees them committed and fills those three columns
 * once. A trigger keeps the table append-only (see the audit_trail migration).
 */
@Entity({ tableName: 'audit_events' })
// Reads page newest first by (at, id): each filter has an index ending in (at, id).
@Index({ name: 'audit_events_at_idx', properties: ['at', 'id'] })
@Index({ name: 'audit_events_actor_idx', properties: ['actorId', 'at', 'id'] })
@Index({ name: 'audit_events_resource_idx', properties: ['resourceType', 'resourceId', 'at', 'id'] })
@Index({ name: 'audit_events_action_idx', properties: ['action', 'at', 'id'] })
@Index({
  name: 'audit_events_unsealed_idx',
  expression: 'create index "audit_events_unsealed_idx" on "audit_events" ("id") where "chain_seq" is null',
})
@Unique({ name: 'audit_events_chain_seq_uq', properties: ['chainSeq'] })
export class AuditEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  /** Milliseconds, as JavaScript keeps them: a keyset cursor built from a Date matches the stored value exactly. */
  @Property({ type: 'timestamptz', length: 3, defaultRaw: 'now()' })
  at: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Enum({ items: () => ActorRole, nativeEnumName: 'actor_role' })
  actorRole!: ActorRole;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text', nullable: true })
  resourceType: string | null = null;

  @Property({ type: 'text', nullable: true })
  resourceId: string | null = null;

  @Enum({ items: () => AuditOutcome, nativeEnumName: 'audit_outcome' })
  outcome!: AuditOutcome;

  @Property({ type: 'text', nullable: true })
  ip: string | null = null;

  @Property({ type: 'text', nullable: true })
  userAgent: string | null = null;

  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;

  @Property({ type: 'json', nullable: true })
  details: Record<string, unknown> | null = null;

  /** Position in the hash chain, assigned by the sealer (commit order, not id order). */
  @Property({ type: new BigIntType('string'), nullable: true })
  chainSeq: string | null = null;

  @Property({ type: 'text', nullable: true })
  prevHash: string | null = null;

  @Property({ type: 'text', nullable: true })
  hash: string | null = null;
}
