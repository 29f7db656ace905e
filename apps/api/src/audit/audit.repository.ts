import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '@heimdex/db';
import type { AuditPosition } from './audit-cursor';
import type { AuditFilterQuery } from './dto/audit-query';

type Where = Record<string, unknown>;

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
    const where = this.where(filter, before ? { at: { $lte: before.at }, $or: [{ at: { $lt: before.at } }, { id: { $lt: before.id } }] } : {});
    return this.em.fork().find(AuditEvent, where, { orderBy: { at: 'desc', id: 'desc' }, limit });
  }

  /**
   * Oldest first, after `after`, among events with ids up to `upTo`: the export's batches. A fresh
   * EntityManager each time, so nothing accumulates.
   */
  batch(filter: AuditFilterQuery, limit: number, upTo: string, after?: AuditPosition): Promise<AuditEvent[]> {
    const where = this.where(filter, {
      id: { $lte: upTo },
      ...(after ? { at: { $gte: after.at }, $or: [{ at: { $gt: after.at } }, { id: { $gt: after.id } }] } : {}),
    });
    return this.em.fork().find(AuditEvent, where, { orderBy: { at: 'asc', id: 'asc' }, limit });
  }

  /** The newest id now: an export ends there, so events written while it runs do not stretch it. */
  async maxId(): Promise<string | null> {
    const [row] = await this.em.fork().execute<{ max: string | null }[]>('select max(id)::text as max from audit_events');
    return row?.max ?? null;
  }

  /** The filters, with `keyset` conditions merged in (two bounds on `at` become one condition). */
  private where(f: AuditFilterQuery, keyset: Where): Where {
    const where: Where = {};
    if (f.actorId) where.actorId = f.actorId;
    if (f.action) where.action = f.action;
    if (f.resourceType) where.resourceType = f.resourceType;
    if (f.resourceId) where.resourceId = f.resourceId;
    const at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
    const { at: keysetAt, ...rest } = keyset as { at?: Where };
    const bounds = keysetAt ? [at, keysetAt] : [at];
    const merged = bounds.filter((b) => Object.keys(b).length);
    if (merged.length === 1) where.at = merged[0];
    if (merged.length === 2) where.$and = merged.map((b) => ({ at: b }));
    return { ...where, ...rest };
  }
}
