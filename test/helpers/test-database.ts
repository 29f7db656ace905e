import { startEmbeddedPostgres } from '@heimdex/embedded';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migratedSnapshot } from './migrated-snapshot';

export interface TestDatabase {
  url: string;
  kind: 'pglite' | 'native';
  drop(): Promise<void>;
  describe(): string;
}

/**
 * A fresh database for one test file: a new database on the Postgres in DATABASE_URL when set
 * (with pgvector), else an in-memory PGlite with pgvector. Native databases start empty (the
 * apps migrate them at start); an embedded one starts from the migrated snapshot
 * (migrated-snapshot.ts) unless `empty` asks for one no migration has touched.
 */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const native = process.env.DATABASE_URL;
  if (!native) {
    const pg = await startEmbeddedPostgres({ loadDataDir: opts.empty ? undefined : await migratedSnapshot() });
    return { url: pg.url, kind: 'pglite', drop: () => pg.stop(), describe: () => pg.describe() };
  }
  const name = `heimdex_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: native });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(native);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'native',
    describe: () => 'native Postgres',
    async drop() {
      const c = new Client({ connectionString: native });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Runs one query on a short-lived connection (for assertions that bypass the ORM). */
export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}
