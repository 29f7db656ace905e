import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { AuditEvent } from '@heimdex/db';
import type { AuditFilterQuery } from './dto/audit-query';

/** The SQL of audit reads. Every filter is served by an index ending in id, so keyset pages stay cheap at any depth. */
@Injectable()
export class AuditRepository {
  constructor(private readonly em: EntityManager) {}

  /** Newest first, ids below `before`. */
  page(filter: AuditFilterQuery, limit: number, before?: string): Promise<AuditEvent[]> {
    const where = this.where(filter);
    if (before) where.id = { $lt: before };
    return this.em.fork().find(AuditEvent, where, { orderBy: { id: 'desc' }, limit });
  }

  /** Oldest first, ids in (after, upTo]: the export's batches. A fresh EntityManager each time, so nothing accumulates. */
  batch(filter: AuditFilterQuery, limit: number, after: string, upTo: string): Promise<AuditEvent[]> {
    const where = this.where(filter);
    where.id = { $gt: after, $lte: upTo };
    return this.em.fork().find(AuditEvent, where, { orderBy: { id: 'asc' }, limit });
  }

  /** The newest id now: an export ends there, so events written while it runs do not stretch it. */
  async maxId(): Promise<string | null> {
    const [row] = await this.em.fork().execute<{ max: string | null }[]>('select max(id)::text as max from audit_events');
    return row?.max ?? null;
  }

  private where(f: AuditFilterQuery): FilterQuery<AuditEvent> & Record<string, unknown> {
    const where: Record<string, unknown> = {};
    if (f.actorId) where.actorId = f.actorId;
    if (f.action) where.action = f.action;
    if (f.resourceType) where.resourceType = f.resourceType;
    if (f.resourceId) where.resourceId = f.resourceId;
    if (f.from || f.to) where.at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
    return where;
  }
}
