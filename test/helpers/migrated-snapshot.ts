import { startEmbeddedPostgres } from '@heimdex/embedded';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import { MikroORM } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/**
 * An embedded database with every migration applied, as a PGlite data-dir tarball: made once
 * for a set of migrations (the first test file that needs it builds it and leaves it in the temp
 * folder), then loaded by every test file instead of running initdb and the migrations again.
 * The name carries a hash of the migrations, the lockfile (PGlite's version) and the embedded
 * server's source (its extensions), so a change to any of them builds a new one.
 */
export async function migratedSnapshot(): Promise<Blob> {
  const file = join(tmpdir(), `heimdex-pglite-migrated-${snapshotKey()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const pg = await startEmbeddedPostgres({});
  try {
    const orm = await MikroORM.init(ormOptions(pg.url, 2));
    try {
      await migrateToLatest(orm);
    } finally {
      await orm.close();
    }
    const dump = await pg.dumpDataDir();
    // Written aside and renamed: a file running beside this one never reads half a tarball.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  } finally {
    await pg.stop();
  }
}

function snapshotKey(): string {
  const hash = createHash('sha256');
  const migrations = join(root, 'migrations');
  for (const name of readdirSync(migrations).sort()) hash.update(name).update(readFileSync(join(migrations, name)));
  hash.update(readFileSync(join(root, 'package-lock.json')));
  hash.update(readFileSync(join(root, 'libs', 'embedded', 'src', 'pglite-server.ts')));
  return hash.digest('hex').slice(0, 16);
}
