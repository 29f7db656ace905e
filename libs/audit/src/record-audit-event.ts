import type { RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ActorRole, AuditEvent, AuditOutcome } from '@heimdex/db';
import { redactDetails } from './redact';

export interface AuditInput {
  actorId: string | null;
  actorRole: ActorRole;
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  outcome: AuditOutcome;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown> | null;
}

/**
 * Inserts one unsealed event through `em`: inside a transaction it commits (or not) with the
 * state change it describes.
 */
export async function recordAuditEvent(em: EntityManager, input: AuditInput): Promise<void> {
  await em.insert(AuditEvent, auditEventRow(input));
}

/** The row for an event, timestamped now. Details are redacted here whatever the caller passed. */
export function auditEventRow(input: AuditInput): RequiredEntityData<AuditEvent> {
  return {
    at: new Date(),
    actorId: input.actorId,
    actorRole: input.actorRole,
    action: input.action,
    resourceType: input.resourceType ?? null,
    resourceId: input.resourceId ?? null,
    outcome: input.outcome,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    requestId: input.requestId ?? null,
    details: input.details ? redactDetails(input.details) : null,
  };
}

/** A worker milestone (video indexed, failed, user purged...): actor `system`. */
export function recordSystemEvent(em: EntityManager, input: Omit<AuditInput, 'actorId' | 'actorRole' | 'ip' | 'userAgent' | 'requestId'>): Promise<void> {
  return recordAuditEvent(em, { ...input, actorId: null, actorRole: ActorRole.System });
}
