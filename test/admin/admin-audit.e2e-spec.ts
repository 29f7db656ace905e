import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { eventsOfRequest } from '../helpers/audit';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

const SEEDED = 2500;

/** GET /v1/admin/audit, /export and their filters, through the real API. */
describe('admin: audit reads', () => {
  let stack: TestStack;
  let admin: string;
  let user: string;
  let userId: string;
  const actor = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
    admin = await hsToken({ sub: randomUUID(), role: 'admin' });
    userId = randomUUID();
    user = await hsToken({ sub: userId });
    await sql(
      stack.db.url,
      `insert into audit_events (at, actor_id, actor_role, action, resource_type, resource_id, outcome, details)
       select timestamptz '2026-01-01T00:00:00Z' + (i / 4) * interval '1 second', $1::uuid, 'user',
              case when i % 5 = 0 then 'seed.delete' else 'seed.update' end, 'things', 'thing-' || (i % 7), 'success',
              jsonb_build_object('i', i, 'note', 'line one, "quoted"' || chr(10) || 'line two')
         from generate_series(1, ${SEEDED}) as i`,
      [actor],
    );
  });

  afterAll(() => stack.close());

  const api = () => request(stack.baseUrl);
  const exportText = async (query: Record<string, string>) => {
    const res = await fetch(`${stack.baseUrl}/v1/admin/audit/export?${new URLSearchParams(query)}`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    return { type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  it('lists newest first with a stable keyset cursor (events sharing a timestamp included), even while new events arrive', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await api()
        .get('/v1/admin/audit')
        .query({ actorId: actor, limit: 398, ...(cursor ? { cursor } : {}) })
        .set(bearer(admin))
        .expect(200);
      seen.push(...res.body.items.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
      pages += 1;
      // New events (this very read is one) must not shift later pages.
      await sql(stack.db.url, "insert into audit_events (actor_id, actor_role, action, outcome) values ($1, 'user', 'seed.update', 'success')", [randomUUID()]);
    } while (cursor);
    // 398 is not a multiple of 4: page boundaries fall between events of the same second.
    expect(pages).toBe(Math.ceil(SEEDED / 398));
    expect(seen).toHaveLength(SEEDED);
    expect(new Set(seen).size).toBe(SEEDED);
    expect([...seen].map(BigInt)).toEqual([...seen].map(BigInt).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
  });

  it('filters by action, resource and time, combined', async () => {
    const res = await api()
      .get('/v1/admin/audit')
      .query({
        actorId: actor,
        action: 'seed.delete',
        resourceType: 'things',
        resourceId: 'thing-3',
        from: '2026-01-01T00:05:00Z',
        to: '2026-01-01T00:20:00Z',
        limit: 500,
      })
      .set(bearer(admin))
      .expect(200);
    // Four events a second: i / 4 in [300, 1200) seconds, so i in [1200, 2500], with i % 5 == 0 and i % 7 == 3.
    const expected = Array.from({ length: 1301 }, (_, k) => 1200 + k).filter((i) => i % 5 === 0 && i % 7 === 3);
    expect(res.body.items.map((e: { details: { i: number } }) => e.details.i).sort((a: number, b: number) => a - b)).toEqual(expected);
    expect(res.body.items[0]).toMatchObject({
      actorId: actor,
      actorRole: 'user',
      action: 'seed.delete',
      resourceType: 'things',
      resourceId: 'thing-3',
      outcome: 'success',
    });
    expect(res.body.nextCursor).toBeNull();
  });

  it('rejects bad filters and cursors with a clear 400', async () => {
    const bad = await api().get('/v1/admin/audit').query({ actorId: 'nope', from: 'yesterday', limit: 0 }).set(bearer(admin)).expect(400);
    expect(bad.body.message).toMatch(/actorId must be a UUID/);
    expect(bad.body.message).toMatch(/from must be an ISO 8601 date-time/);
    const cursor = await api().get('/v1/admin/audit').query({ cursor: 'garbage' }).set(bearer(admin)).expect(400);
    expect(cursor.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/cursor is not valid/) });
  });

  it('exports NDJSON: every matching event, oldest first, one per line', async () => {
    const res = await exportText({ format: 'ndjson', actorId: actor });
    expect(res.type).toMatch(/^application\/x-ndjson/);
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; details: { i: number } });
    expect(lines).toHaveLength(SEEDED);
    expect(lines.map((l) => l.details.i)).toEqual(Array.from({ length: SEEDED }, (_, k) => k + 1));
  });

  it('exports CSV with a header row, quoting what needs it', async () => {
    const res = await exportText({ format: 'csv', actorId: actor, action: 'seed.delete' });
    expect(res.type).toMatch(/^text\/csv/);
    const text = res.text;
    expect(text.split('\n')[0]).toBe('id,at,actorId,actorRole,action,resourceType,resourceId,outcome,ip,userAgent,requestId,details,chainSeq,prevHash,hash');
    expect(text.match(/,seed\.delete,things,/g)).toHaveLength(SEEDED / 5);
    // details is a JSON column: the field is quoted and its quotes doubled, per RFC 4180.
    expect(text).toContain(`,"{""i"":5,""note"":""line one, \\""quoted\\""\\nline two""}",`);
  });

  it('streams with backpressure: a reader that stops and leaves is recorded as a closed export, and the api carries on', async () => {
    // ~15 MB of NDJSON: far more than socket buffers hold, so the server is still writing when the reader leaves.
    await sql(
      stack.db.url,
      `insert into audit_events (actor_role, action, outcome, details)
       select 'system', 'bulk.export', 'success', jsonb_build_object('pad', repeat('x', 500), 'i', i) from generate_series(1, 25000) as i`,
    );
    const requestId = `export-abort-${randomUUID()}`;
    const res = await fetch(`${stack.baseUrl}/v1/admin/audit/export?format=ndjson&action=bulk.export`, {
      headers: { ...bearer(admin), 'X-Request-Id': requestId },
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    const [event] = await eventually(async () => {
      const rows = await eventsOfRequest(stack.db.url, requestId);
      return rows.length ? rows : undefined;
    });
    expect(event).toMatchObject({ action: 'audit.export', outcome: 'error' });
    expect(event.details).toMatchObject({ status: 499 });
    await api().get('/v1/admin/audit').query({ limit: 1 }).set(bearer(admin)).expect(200);
  });

  it('is admin-only: a user gets 403 on every read, and each attempt is audited as denied', async () => {
    for (const path of ['/v1/admin/audit', '/v1/admin/audit/export', '/v1/admin/audit/verify']) {
      const res = await api().get(path).set(bearer(user)).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', requestId: expect.any(String) });
      const events = await eventsOfRequest(stack.db.url, res.body.requestId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor_id: userId, outcome: 'denied' });
    }
  });
});
