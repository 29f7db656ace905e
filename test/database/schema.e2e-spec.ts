import { MikroORM } from '@mikro-orm/postgresql';
import { migrateToLatest, NATIVE_ENUMS, ormOptions, Video, VideoState } from '@heimdex/db';
import { createTestDatabase, sql, TestDatabase } from '../helpers/test-database';

/**
 * Guards seeds 000/001/003: columns in the models but not in the database (schema drift),
 * enum labels in a different case, and migrations that were never applied.
 */
describe('database schema', () => {
  let db: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    orm = await MikroORM.init(ormOptions(db.url, 2));
    const { applied } = await migrateToLatest(orm);
    expect(applied.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('migrations create exactly what the entities describe (no drift either way)', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    expect(diff.trim()).toBe('');
  });

  it('the drift check notices a column the migrations lack', async () => {
    await sql(db.url, 'alter table videos drop column title');
    try {
      const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      expect(diff).toMatch(/alter table "videos" add column "title" text null/);
    } finally {
      await sql(db.url, 'alter table videos add column title text null');
    }
  });

  it('has nothing pending after start, and running again applies nothing', async () => {
    expect((await migrateToLatest(orm)).applied).toEqual([]);
  });

  it.each(Object.entries(NATIVE_ENUMS))('native enum %s has exactly the TypeScript enum values, lowercase, in order', async (name, tsEnum) => {
    const rows = await sql<{ label: string }>(db.url, 'select enumlabel as label from pg_enum where enumtypid = $1::regtype order by enumsortorder', [name]);
    expect(rows.map((r) => r.label)).toEqual(Object.values(tsEnum));
    for (const label of rows.map((r) => r.label)) expect(label).toBe(label.toLowerCase());
  });

  it('round-trips an enum through the ORM as the TS value, and the DB rejects other casing', async () => {
    const em = orm.em.fork();
    const v = new Video();
    v.userId = '11111111-1111-4111-8111-111111111111';
    v.filename = 'a.mp4';
    v.contentType = 'video/mp4';
    v.sizeBytes = 1;
    v.storageKey = 'k';
    v.state = VideoState.Processing;
    await em.persistAndFlush(v);
    const raw = await sql<{ state: string }>(db.url, 'select state::text from videos where id = $1', [v.id]);
    expect(raw[0].state).toBe('processing');
    const back = await orm.em.fork().findOneOrFail(Video, v.id);
    expect(back.state).toBe(VideoState.Processing);
    await expect(sql(db.url, "update videos set state = 'PROCESSING' where id = $1", [v.id])).rejects.toThrow(/invalid input value for enum video_state/);
  });

  it('stores embeddings as pgvector columns with HNSW indexes', async () => {
    const cols = await sql<{ table_name: string; column_name: string; type: string }>(
      db.url,
      `select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type
         from pg_attribute a join pg_class c on c.oid = a.attrelid
        where format_type(a.atttypid, a.atttypmod) like 'vector%' and c.relkind = 'r' order by 1, 2`,
    );
    expect(cols).toEqual([
      { table_name: 'faces', column_name: 'embedding', type: 'vector(128)' },
      { table_name: 'scenes', column_name: 'text_embedding', type: 'vector(384)' },
      { table_name: 'scenes', column_name: 'text_embedding_next', type: 'vector(384)' },
      { table_name: 'scenes', column_name: 'visual_embedding', type: 'vector(512)' },
      { table_name: 'scenes', column_name: 'visual_embedding_next', type: 'vector(512)' },
    ]);
    const idx = await sql<{ indexname: string }>(db.url, "select indexname from pg_indexes where indexdef like '%USING hnsw%' order by 1");
    expect(idx.map((i) => i.indexname)).toEqual(['faces_embedding_hnsw', 'scenes_text_embedding_hnsw', 'scenes_visual_embedding_hnsw']);
  });
});
