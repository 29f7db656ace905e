import { BigIntType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { ActorRole, AuditOutcome } from '../enums';

@Entity({ tableName: 'audit_events' })
@Index({ name: 'audit_events_at_idx', properties: ['at', 'id'] })
@Index({ name: 'audit_events_actor_idx', properties: ['actorId', 'id'] })
@Index({ name: 'audit_events_resource_idx', properties: ['resourceType', 'resourceId', 'id'] })
export class AuditEvent {
  @PrimaryKey({ type: new BigIntType('string'), autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
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

  @Property({ type: 'text', nullable: true })
  prevHash: string | null = null;

  @Property({ type: 'text', nullable: true })
  hash: string | null = null;
}
