import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { JobState, PipelineJob, Video, VideoState } from '@heimdex/db';
import { deletionOrder, ForeignKey } from './deletion-order';

/** Tables that may carry a user_id and must outlive the account (none today; the audit trail has actor_id). */
const KEPT_TABLES = new Set(['audit_events', 'audit_checkpoints']);

/**
 * The SQL of the account purge. Which tables hold a user's rows is read from the catalog
 * (every table with a user_id column), so a table added later is purged without a change here.
 */
@Injectable()
export class UserPurgeRepository {
  /** Marks the user's videos deleted and cancels their open stages: running stages drop their work. */
  async stopPipelines(tx: EntityManager, userId: string): Promise<void> {
    const now = new Date();
    const videos = await tx.find(Video, { userId }, { fields: ['id'] });
    await tx.nativeUpdate(Video, { userId, state: { $ne: VideoState.Deleted } }, { state: VideoState.Deleted, deletedAt: now });
    if (videos.length) {
      await tx.nativeUpdate(
        PipelineJob,
        { video: { $in: videos.map((v) => v.id) }, state: { $in: [JobState.Pending, JobState.Running] } },
        { state: JobState.Cancelled, finishedAt: now },
      );
    }
  }

  /** Every table of the current schema with a user_id column, referencing tables first. */
  async userTables(em: EntityManager): Promise<string[]> {
    const tables = await em.execute<{ name: string }[]>(
      `select c.relname as name from pg_attribute a
         join pg_class c on c.oid = a.attrelid
        where a.attname = 'user_id' and not a.attisdropped and c.relkind in ('r', 'p')
          and c.relnamespace = current_schema()::regnamespace
        order by c.relname`,
    );
    const keys = await em.execute<ForeignKey[]>(
      `select child.relname as child, parent.relname as parent from pg_constraint k
         join pg_class child on child.oid = k.conrelid
         join pg_class parent on parent.oid = k.confrelid
        where k.contype = 'f' and child.relnamespace = current_schema()::regnamespace`,
    );
    return deletionOrder(
      tables.map((t) => t.name).filter((t) => !KEPT_TABLES.has(t)),
      keys,
    );
  }

  /** Deletes the user's rows from one table; returns how many went (cascades not counted). */
  async deleteRows(tx: EntityManager, table: string, userId: string): Promise<number> {
    const res = await tx.execute(`delete from "${table.replace(/"/g, '""')}" where user_id = ?`, [userId], 'run');
    return Number((res as { affectedRows?: number }).affectedRows ?? 0);
  }
}
