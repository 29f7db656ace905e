import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { AuditEvent } from '@heimdex/db';
import type { AuditPosition } from './audit-cursor';
import type { AuditFilterQuery } from './dto/audit-query';

/**
 * The SQL of audit reads, in (at, id) order. Every filter has an index ending in (at, id), and a
 * keyset bound is written as `at <= A and (at < A or id < I)` so its `at` part is an index
 * condition: a page costs the same at any depth, whatever the filter.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly em: EntityManager) {}

  /** Newest first, after `before` in that order. */
  page(filter: AuditFilterQuery, limit: number, before?: AuditPosition): Promise<AuditEvent[]> {
    const keyset = before ? [{ at: { $lte: before.at } }, { $or: [{ at: { $lt: before.at } }, { id: { $lt: before.id } }] }] : [];
    return this.em.fork().find(AuditEvent, this.where(filter, keyset), { orderBy: { at: 'desc', id: 'desc' }, limit });
  }

  /**
   * Oldest first, after `after`, among events with ids up to `upTo`: the export's batches. A fresh
   * EntityManager each time, so nothing accumulates.
   */
  batch(filter: AuditFilterQuery, limit: number, upTo: string, after?: AuditPosition): Promise<AuditEvent[]> {
    const keyset = after ? [{ at: { $gte: after.at } }, { $or: [{ at: { $gt: after.at } }, { id: { $gt: after.id } }] }] : [];
    return this.em.fork().find(AuditEvent, this.where(filter, [{ id: { $lte: upTo } }, ...keyset]), { orderBy: { at: 'asc', id: 'asc' }, limit });
  }

  /** The newest id now: an export ends there, so events written while it runs do not stretch it. */
  async maxId(): Promise<string | null> {
    const [row] = await this.em.fork().execute<{ max: string | null }[]>('select max(id)::text as max from audit_events');
    return row?.max ?? null;
  }

  private where(f: AuditFilterQuery, extra: FilterQuery<AuditEvent>[]): FilterQuery<AuditEvent> {
    const all: FilterQuery<AuditEvent>[] = [
      ...(f.actorId ? [{ actorId: f.actorId }] : []),
      ...(f.action ? [{ action: f.action }] : []),
      ...(f.resourceType ? [{ resourceType: f.resourceType }] : []),
      ...(f.resourceId ? [{ resourceId: f.resourceId }] : []),
      ...(f.from ? [{ at: { $gte: f.from } }] : []),
      ...(f.to ? [{ at: { $lt: f.to } }] : []),
      ...extra,
    ];
    return all.length ? { $and: all } : {};
  }
}
