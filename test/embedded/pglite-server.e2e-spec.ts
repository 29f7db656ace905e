import { EmbeddedPostgres, startEmbeddedPostgres } from '@heimdex/embedded';
import { Client } from 'pg';

/**
 * The embedded server runs one PGlite backend for every connection. Parameterised queries use
 * the extended protocol (Parse, Bind, Execute, Sync as separate messages); if two connections'
 * messages interleave, one connection's unnamed statement replaces the other's.
 */
describe('embedded Postgres server', () => {
  let pg: EmbeddedPostgres;
  beforeAll(async () => {
    pg = await startEmbeddedPostgres({});
  });
  afterAll(() => pg.stop());

  it('keeps concurrent extended-protocol queries of several connections apart', async () => {
    const clients = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = new Client({ connectionString: pg.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const results = await Promise.all(
        clients.map(async (c, ci) => {
          const seen: number[] = [];
          for (let i = 0; i < 300; i++) {
            const n = ci * 1000 + i;
            const sql = ci % 2 ? 'select $1::int as n' : 'select $1::int + 0 as n, $2::text as tag from generate_series(1, 200) limit 1';
            // Half the connections run inside transactions, as the ORM does.
            if (ci % 2 === 0) await c.query('begin');
            const res = await c.query(sql, ci % 2 ? [n] : [n, 'x']);
            if (ci % 2 === 0) await c.query('commit');
            seen.push(Number(res.rows[0].n));
          }
          return seen;
        }),
      );
      results.forEach((seen, ci) => expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => ci * 1000 + i)));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('still serialises transactions: another connection waits for a commit', async () => {
    const a = new Client({ connectionString: pg.url });
    const b = new Client({ connectionString: pg.url });
    await a.connect();
    await b.connect();
    try {
      await a.query('create table t (v int)');
      await a.query('begin');
      await a.query('insert into t values ($1)', [1]);
      const bRead = b.query('select count(*)::int as n from t where v = $1', [1]);
      await new Promise((r) => setTimeout(r, 100));
      await a.query('commit');
      expect((await bRead).rows[0].n).toBe(1);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
