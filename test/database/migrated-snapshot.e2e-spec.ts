import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions, pendingMigrations } from '@heimdex/db';
import { createTestDatabase, sql, TestDatabase } from '../helpers/test-database';

// Native test databases start empty and are migrated by the apps; only embedded ones come from the snapshot.
const embedded = process.env.DATABASE_URL ? describe.skip : describe;
const title = process.env.DATABASE_URL
  ? 'test databases from the migrated snapshot (skipped: native Postgres test databases start empty)'
  : 'test databases from the migrated snapshot';

embedded(title, () => {
  let dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('have every migration applied, match the entities, and do not share rows', async () => {
    dbs = [await createTestDatabase(), await createTestDatabase()];
    const orm = await MikroORM.init(ormOptions(dbs[0].url, 2));
    try {
      expect(await pendingMigrations(orm)).toEqual([]);
      expect((await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true })).trim()).toBe('');
    } finally {
      await orm.close();
    }
    await sql(
      dbs[0].url,
      `insert into people (id, user_id, name) values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'Ada')`,
    );
    expect(await sql(dbs[1].url, 'select id from people')).toEqual([]);
  });

  it('an empty one has no tables', async () => {
    const empty = await createTestDatabase({ empty: true });
    dbs.push(empty);
    expect(await sql(empty.url, `select tablename from pg_tables where schemaname = 'public'`)).toEqual([]);
  });
});
