import { MikroORM } from '@mikro-orm/postgresql';
import { AuditSealer } from '@heimdex/audit';
import { ormOptions } from '@heimdex/db';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { allSealed, asSuperuserBypassingTriggers, auditRows } from '../helpers/audit';
import { sql } from '../helpers/test-database';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

/** The hash chain through the real API: commit-order sealing, and tampering as a superuser would do it. */
describe('audit chain: verify', () => {
  let stack: TestStack;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUDIT_SEAL_INTERVAL_MS: '200' } });
    admin = await hsToken({ sub: randomUUID(), role: 'admin' });
    user = await hsToken();
    for (let i = 0; i < 12; i++) {
      await request(stack.baseUrl)
        .post('/v1/videos')
        .set(bearer(user))
        .send({ filename: `v${i}.mp4`, contentType: 'video/mp4', sizeBytes: 100 + i })
        .expect(201);
    }
  });

  afterAll(() => stack.close());

  const verify = async () => (await request(stack.baseUrl).get('/v1/admin/audit/verify').set(bearer(admin)).expect(200)).body as Record<string, unknown>;

  it('an untouched chain verifies', async () => {
    const v = await verify();
    expect(v).toMatchObject({ ok: true, fromSeq: '0', unsealed: 0 });
    expect(v.checked).toBeGreaterThanOrEqual(12);
    expect(v.firstBadId).toBeUndefined();
    // Committed one after another, so chained in id order (ids 1..n, past 10: numeric, not text order).
    await allSealed(stack.db.url);
    const seqs = (await auditRows(stack.db.url)).map((r) => Number(r.chain_seq));
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('events committed together are chained oldest id first', async () => {
    // 100 rows at once: their ids cross a power of ten, where text order and numeric order differ.
    await sql(stack.db.url, "insert into audit_events (actor_role, action, outcome) select 'system', 'batch.row', 'success' from generate_series(1, 100)");
    await allSealed(stack.db.url);
    const rows = await auditRows(stack.db.url, "action = 'batch.row'");
    const seqs = rows.map((r) => BigInt(r.chain_seq as string));
    expect(seqs.slice(1).every((s, i) => s === seqs[i] + 1n)).toBe(true);
  });

  it('sealers on separate connections (as in the api and the worker) take turns through the advisory lock: each event chained once', async () => {
    await sql(stack.db.url, "insert into audit_events (actor_role, action, outcome) select 'system', 'many.row', 'success' from generate_series(1, 5000)");
    const others = await Promise.all([0, 1].map(() => MikroORM.init(ormOptions(stack.db.url, 2))));
    try {
      const sealers = [stack.api.get(AuditSealer), ...others.map((orm) => new AuditSealer(orm, stack.config))];
      await Promise.all(sealers.map((s) => s.sealPending()));
      await allSealed(stack.db.url);
    } finally {
      await Promise.all(others.map((orm) => orm.close()));
    }
    const [{ n, distinct, max }] = await sql<{ n: string; distinct: string; max: string }>(
      stack.db.url,
      'select count(*) as n, count(distinct chain_seq) as distinct, max(chain_seq)::text as max from audit_events',
    );
    expect(distinct).toBe(n);
    expect(max).toBe(n);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('an event whose transaction commits after later ids were sealed is chained after them, and the chain still verifies', async () => {
    // A transaction takes its id first (nextval), others insert and get sealed, then it commits.
    const [{ id: reserved }] = await sql<{ id: string }>(stack.db.url, "select nextval(pg_get_serial_sequence('audit_events', 'id'))::text as id");
    await request(stack.baseUrl).post('/v1/videos').set(bearer(user)).send({ filename: 'later.mp4', contentType: 'video/mp4', sizeBytes: 1 }).expect(201);
    await allSealed(stack.db.url);
    const [{ max, maxId }] = await sql<{ max: string; maxId: string }>(
      stack.db.url,
      'select max(chain_seq)::text as max, max(id)::text as "maxId" from audit_events',
    );
    expect(BigInt(maxId)).toBeGreaterThan(BigInt(reserved));
    await sql(stack.db.url, "insert into audit_events (id, actor_role, action, outcome) values ($1, 'system', 'late.commit', 'success')", [reserved]);
    await allSealed(stack.db.url);
    const [late] = await auditRows(stack.db.url, "action = 'late.commit'");
    expect(late.id).toBe(reserved);
    expect(late.chain_seq).toBe((BigInt(max) + 1n).toString());
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a row altered behind the trigger is found: verify names it', async () => {
    await allSealed(stack.db.url);
    const rows = await auditRows(stack.db.url, "action = 'videos.create'");
    const victim = rows[5];
    expect(
      await asSuperuserBypassingTriggers(stack.db.url, "update audit_events set details = jsonb_set(details, '{status}', '200') where id = $1", [victim.id]),
    ).toBe(1);
    const v = await verify();
    expect(v).toMatchObject({ ok: false, firstBadId: victim.id, reason: "hash does not match the event's contents" });
    expect(v.checked).toBeGreaterThan(0);

    // Putting the original value back makes it whole again: the check is about content, not about having been touched.
    await asSuperuserBypassingTriggers(stack.db.url, 'update audit_events set details = $2 where id = $1', [victim.id, JSON.stringify(victim.details)]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a rehashed row still breaks the link to the next one', async () => {
    const [victim] = (await auditRows(stack.db.url, "action = 'videos.create'")).slice(2);
    const [next] = await auditRows(stack.db.url, 'chain_seq = $1', [String(BigInt(victim.chain_seq as string) + 1n)]);
    await asSuperuserBypassingTriggers(stack.db.url, "update audit_events set hash = repeat('a', 64) where id = $1", [victim.id]);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect([victim.id, next.id]).toContain(v.firstBadId);
    await asSuperuserBypassingTriggers(stack.db.url, 'update audit_events set hash = $2 where id = $1', [victim.id, victim.hash]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a deleted row is found: the event after it no longer links', async () => {
    const [victim] = (await auditRows(stack.db.url, "action = 'videos.create'")).slice(7);
    const [next] = await auditRows(stack.db.url, 'chain_seq = $1', [String(BigInt(victim.chain_seq as string) + 1n)]);
    await asSuperuserBypassingTriggers(stack.db.url, 'delete from audit_events where id = $1', [victim.id]);
    const v = await verify();
    expect(v).toMatchObject({ ok: false, firstBadId: next.id });
    expect(v.reason).toMatch(/missing/);
  });
});
