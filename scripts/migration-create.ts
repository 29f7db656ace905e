/**
 * `npm run migration:create -- <name>`: diffs the entities against a database with every
 * existing migration applied, writes the difference as a new reviewable file in migrations/,
 * and lists it in migrations/index.ts. Uses DATABASE_URL when set, else an in-memory PGlite.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { findProjectRoot } from '@heimdex/config';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import { startEmbeddedPostgres } from '@heimdex/embedded';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: npm run migration:create -- <snake_case_name>');
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({});
  const orm = await MikroORM.init(ormOptions(process.env.DATABASE_URL ?? embedded!.url, 2));
  try {
    await migrateToLatest(orm);
    // The source folder, not dist/migrations: this script runs compiled.
    const migrationsDir = join(findProjectRoot(), 'migrations');
    const result = await orm.getMigrator().createMigration(migrationsDir, false, false, name);
    if (!result.fileName) {
      console.log('entities and migrations already agree: nothing to write');
      return;
    }
    const file = basename(result.fileName, '.ts');
    const cls = /export class (\w+)/.exec(result.code)?.[1];
    const indexPath = join(migrationsDir, 'index.ts');
    let index = readFileSync(indexPath, 'utf8');
    index = index.replace(/^(import type .*\n)/m, `$1import { ${cls} } from './${file}';\n`);
    index = index.replace(/\[(.*)\];\s*$/s, (_m, list: string) => `[${list.trim() ? list.trimEnd() + '\n' : '\n'}  { name: '${file}', class: ${cls} },\n];\n`);
    writeFileSync(indexPath, index);
    console.log(`wrote migrations/${file}.ts and listed it in migrations/index.ts:\n\n${result.code}`);
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
