import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import { createTestDatabase, sql, TestDatabase } from '../helpers/test-database';

class SlowMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('select pg_sleep(0.5)');
    this.addSql('create table lock_probe (id int)');
  }
}

// Advisory locks order separate Postgres sessions. PGlite is a single session shared by every
// socket, so there the launcher migrates before starting the apps instead; this race is only
// meaningful on a real server, which CI provides through DATABASE_URL.
const onNativePostgres = process.env.DATABASE_URL ? describe : describe.skip;

const title = process.env.DATABASE_URL
  ? 'migrations at start: api and worker racing'
  : 'migrations at start: api and worker racing (skipped: needs native Postgres through DATABASE_URL; PGlite is one shared session)';

onNativePostgres(title, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterAll(() => db.drop());

  it('applies each migration once when two processes start together', async () => {
    const options = { ...ormOptions(db.url, 2) };
    options.migrations = { ...options.migrations, migrationsList: [{ name: 'Migration00000000000001_slow', class: SlowMigration }] };
    const [a, b] = await Promise.all([MikroORM.init(options), MikroORM.init(options)]);
    try {
      const results = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 1]);
      const rows = await sql<{ name: string }>(db.url, 'select name from mikro_orm_migrations');
      expect(rows.map((r) => r.name)).toEqual(['Migration00000000000001_slow']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
