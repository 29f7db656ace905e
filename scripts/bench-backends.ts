import { startEmbeddedPostgres } from '@heimdex/embedded';
import { Client } from 'pg';

export type BenchBackend = 'pglite' | 'postgres';

/**
 * Runs `bench` on a fresh embedded PGlite, then, when DATABASE_URL is set, on that Postgres in a
 * database of its own (`<prefix>_<time>`, created here and dropped afterwards), one after the
 * other so their rows can be printed side by side.
 */
export async function onEachBackend<R>(prefix: string, bench: (backend: BenchBackend, url: string) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  const pglite = await startEmbeddedPostgres({});
  try {
    rows.push(...(await bench('pglite', pglite.url)));
  } finally {
    await pglite.stop();
  }
  if (!process.env.DATABASE_URL) return rows;
  const name = `${prefix}_${Date.now()}`;
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  try {
    rows.push(...(await bench('postgres', url.toString())));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  return rows;
}
