import type { MikroORM } from '@mikro-orm/postgresql';

/** Arbitrary constant: "HEIMDEX" in ASCII, the advisory lock all migrators agree on. */
const MIGRATION_LOCK_KEY = 0x48454d44;

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies pending migrations at start (seed 000: "migrations were never run"). The api and
 * the worker may start together: an advisory lock on one connection serialises them, and
 * whoever comes second finds nothing pending. pg_try_advisory_lock in a loop rather than
 * the blocking form, so a waiting process never holds a backend busy. The lock holds one pooled
 * connection while the migrator uses another: the pool needs at least two.
 */
export async function migrateToLatest(orm: MikroORM, opts: { timeoutMs?: number; log?: (msg: string) => void } = {}): Promise<MigrationResult> {
  const knex = orm.em.getConnection().getKnex();
  const client = (await knex.client.acquireConnection()) as PgClient;
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  try {
    for (;;) {
      const res = await client.query('select pg_try_advisory_lock($1) as locked', [MIGRATION_LOCK_KEY]);
      if (res.rows[0]?.locked) break;
      if (Date.now() > deadline) throw new Error('Timed out waiting for the migration lock held by another Heimdex process');
      await new Promise((r) => setTimeout(r, 200));
    }
    try {
      const migrator = orm.getMigrator();
      const pending = await migrator.getPendingMigrations();
      if (pending.length === 0) return { applied: [] };
      opts.log?.(`applying ${pending.length} migration(s): ${pending.map((m) => m.name).join(', ')}`);
      const done = await migrator.up();
      return { applied: done.map((m) => m.name) };
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await knex.client.releaseConnection(client);
  }
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}

interface PgClient {
  query(sql: string, params: unknown[]): Promise<{ rows: Array<{ locked?: boolean }> }>;
}
