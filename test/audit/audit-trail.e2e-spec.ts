import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { media } from '../helpers/media';
import { allSealed, auditRows, eventsOfRequest } from '../helpers/audit';
import { sql } from '../helpers/test-database';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

/** One event per state-changing request and per admin read, whatever the outcome, through the real API. */
describe('audit trail: what requests write', () => {
  let stack: TestStack;
  let aliceId: string;
  let alice: string;
  let bob: string;
  let adminId: string;
  let admin: string;
  let videoId: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
    aliceId = randomUUID();
    alice = await hsToken({ sub: aliceId });
    bob = await hsToken();
    adminId = randomUUID();
    admin = await hsToken({ sub: adminId, role: 'admin' });
    videoId = (await new VideosClient(stack.baseUrl, alice).create(media.video(3))).video.id;
  });

  afterAll(() => stack.close());

  const api = () => request(stack.baseUrl);
  const requestIdOf = (res: request.Response) => res.headers['x-request-id'] as string;

  it('a successful PATCH writes exactly one event with the actor, resource, client and redacted details', async () => {
    const res = await api().patch(`/v1/videos/${videoId}`).set(bearer(alice)).set('User-Agent', 'audit-test/1.0').send({ title: 'Renamed' }).expect(200);
    const events = await eventsOfRequest(stack.db.url, requestIdOf(res));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_id: aliceId,
      actor_role: 'user',
      action: 'videos.update',
      resource_type: 'videos',
      resource_id: videoId,
      outcome: 'success',
      ip: '127.0.0.1',
      user_agent: 'audit-test/1.0',
      request_id: requestIdOf(res),
    });
    expect(events[0].details).toEqual({ method: 'PATCH', path: `/v1/videos/${videoId}`, status: 200, body: { title: 'Renamed' } });
  });

  it('a create records the id it created and never the presigned upload URL', async () => {
    const res = await api().post('/v1/videos').set(bearer(alice)).send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 10 }).expect(201);
    const [event] = await eventsOfRequest(stack.db.url, requestIdOf(res));
    expect(event).toMatchObject({ action: 'videos.create', resource_id: res.body.video.id, outcome: 'success' });
    expect((event.details as { status: number }).status).toBe(201);
    expect(JSON.stringify(event.details)).not.toMatch(/Signature|storage\//);
  });

  it('401s are recorded once as denied, by an anonymous actor', async () => {
    const res = await api().post('/v1/videos').send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 10 }).expect(401);
    const events = await eventsOfRequest(stack.db.url, res.body.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: null, actor_role: 'anonymous', action: 'videos.create', outcome: 'denied' });
    expect(events[0].details).toMatchObject({ status: 401, error: 'missing bearer token' });
  });

  it("another user's video (404) and a validation error (400) are recorded once as errors", async () => {
    const notFound = await api().patch(`/v1/videos/${videoId}`).set(bearer(bob)).send({ title: 'x' }).expect(404);
    const [nf, ...moreNf] = await eventsOfRequest(stack.db.url, notFound.body.requestId);
    expect(moreNf).toEqual([]);
    expect(nf).toMatchObject({ action: 'videos.update', resource_id: videoId, outcome: 'error', actor_role: 'user' });

    const invalid = await api().delete('/v1/videos/not-a-uuid').set(bearer(alice)).expect(400);
    const events = await eventsOfRequest(stack.db.url, invalid.body.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'videos.remove', outcome: 'error', resource_id: 'not-a-uuid' });
  });

  it('a body refused before routing, and an unknown path, are still recorded once', async () => {
    const malformed = await api().patch(`/v1/videos/${videoId}`).set(bearer(alice)).set('Content-Type', 'application/json').send('{"title":').expect(400);
    const [m, ...moreM] = await eventsOfRequest(stack.db.url, malformed.body.requestId);
    expect(moreM).toEqual([]);
    expect(m).toMatchObject({ action: 'api.unrouted', resource_type: 'videos', outcome: 'error' });
    expect(m.details).toMatchObject({ method: 'PATCH', status: 400, error: expect.stringMatching(/JSON/) });

    const unknown = await api().post('/v1/nothing-here').set(bearer(alice)).send({}).expect(404);
    expect(await eventsOfRequest(stack.db.url, unknown.body.requestId)).toHaveLength(1);
  });

  it('tokens, secrets and signed URLs in a request never reach the trail', async () => {
    const jwt = await hsToken();
    const res = await api()
      .post('/v1/videos')
      .set(bearer(alice))
      .send({
        filename: 'a.mp4',
        contentType: 'video/mp4',
        sizeBytes: 10,
        password: 'hunter2',
        note: jwt,
        link: 'https://s3.example.com/b/k?X-Amz-Signature=abc',
      })
      .expect(400);
    const [event] = await eventsOfRequest(stack.db.url, res.body.requestId);
    const body = (event.details as { body: Record<string, unknown> }).body;
    expect(body).toMatchObject({ filename: 'a.mp4', password: '[redacted]', note: '[redacted]', link: 'https://s3.example.com/b/k?[redacted]' });
    expect(JSON.stringify(event)).not.toContain('hunter2');
    expect(JSON.stringify(event)).not.toContain(jwt);
    expect(JSON.stringify(event)).not.toContain(alice);
  });

  it('reads are not recorded, except on admin routes; a non-admin on one is recorded as denied', async () => {
    const read = await api().get(`/v1/videos/${videoId}`).set(bearer(alice)).expect(200);
    expect(await eventsOfRequest(stack.db.url, requestIdOf(read))).toEqual([]);

    const denied = await api().get('/v1/admin/audit').set(bearer(alice)).expect(403);
    const [d, ...moreD] = await eventsOfRequest(stack.db.url, denied.body.requestId);
    expect(moreD).toEqual([]);
    expect(d).toMatchObject({ actor_id: aliceId, actor_role: 'user', action: 'audit.list', resource_type: 'audit', outcome: 'denied' });

    const ok = await api().get('/v1/admin/audit').query({ actorId: aliceId }).set(bearer(admin)).expect(200);
    const [o] = await eventsOfRequest(stack.db.url, requestIdOf(ok));
    expect(o).toMatchObject({ actor_id: adminId, actor_role: 'admin', action: 'audit.list', outcome: 'success' });
    expect(o.details).toMatchObject({ query: { actorId: aliceId } });
  });

  it('X-Forwarded-For is ignored unless TRUST_PROXY trusts the hop', async () => {
    const res = await api().patch(`/v1/videos/${videoId}`).set(bearer(alice)).set('X-Forwarded-For', '203.0.113.9').send({ title: 'y' }).expect(200);
    expect((await eventsOfRequest(stack.db.url, requestIdOf(res)))[0].ip).toBe('127.0.0.1');

    const proxied = await startTestStack({ env: { LOG_LEVEL: 'silent', TRUST_PROXY: 'loopback' } });
    try {
      const token = await hsToken();
      const r = await request(proxied.baseUrl)
        .post('/v1/videos')
        .set(bearer(token))
        .set('X-Forwarded-For', '198.51.100.23, 203.0.113.9')
        .send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 10 })
        .expect(201);
      // The nearest hop (loopback) is trusted, 203.0.113.9 is not: it is the client.
      expect((await eventsOfRequest(proxied.db.url, r.headers['x-request-id'] as string))[0].ip).toBe('203.0.113.9');
      // Two apps in one process: each request is recorded by its own app, in its own database.
      expect(await eventsOfRequest(stack.db.url, r.headers['x-request-id'] as string)).toEqual([]);
    } finally {
      await proxied.close();
    }
  });

  it('every request above was chained: the sealer links them all and verify agrees', async () => {
    await allSealed(stack.db.url);
    const rows = await auditRows(stack.db.url);
    const chain = [...rows].sort((a, b) => Number(a.chain_seq) - Number(b.chain_seq));
    expect(chain.map((r) => Number(r.chain_seq))).toEqual(chain.map((_, i) => i + 1));
    chain.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? '0'.repeat(64) : chain[i - 1].hash));
    const verify = await api().get('/v1/admin/audit/verify').set(bearer(admin)).expect(200);
    expect(verify.body).toMatchObject({ ok: true, fromSeq: '0' });
    expect(verify.body.checked).toBeGreaterThanOrEqual(rows.length);
  });

  it('the table is append-only in the database: update, delete, truncate and pre-sealed inserts are refused', async () => {
    await allSealed(stack.db.url);
    const [row] = await auditRows(stack.db.url, 'chain_seq is not null');
    await expect(sql(stack.db.url, "update audit_events set action = 'forged' where id = $1", [row.id])).rejects.toThrow(/append-only/);
    await expect(sql(stack.db.url, 'update audit_events set hash = $2 where id = $1', [row.id, 'f'.repeat(64)])).rejects.toThrow(/append-only/);
    await expect(sql(stack.db.url, 'delete from audit_events where id = $1', [row.id])).rejects.toThrow(/append-only/);
    await expect(sql(stack.db.url, "select set_config('heimdex.audit_retention', 'on', false); delete from audit_events")).rejects.toThrow(/append-only/);
    await expect(sql(stack.db.url, 'truncate audit_events')).rejects.toThrow(/append-only/);
    await expect(
      sql(
        stack.db.url,
        "insert into audit_events (actor_role, action, outcome, chain_seq, prev_hash, hash) values ('system', 'forged', 'success', 999, 'x', 'y')",
      ),
    ).rejects.toThrow(/inserted unsealed/);
    await expect(sql(stack.db.url, 'delete from audit_checkpoints')).rejects.toThrow(/append-only/);
  });
});

describe('audit trail: refused tokens on routes that are not audited otherwise', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('the first refusal per client address and minute is recorded, the rest are counted, not written one by one', async () => {
    const denied = () => auditRows(stack.db.url, "action = 'auth.denied'");
    const res = await request(stack.baseUrl).get('/v1/auth/me').set('Authorization', 'Bearer not.a.token').expect(401);
    const [event, ...more] = await denied();
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actor_id: null,
      actor_role: 'anonymous',
      action: 'auth.denied',
      outcome: 'denied',
      ip: '127.0.0.1',
      request_id: res.body.requestId,
    });
    expect(event.details).toMatchObject({ method: 'GET', path: '/v1/auth/me', status: 401 });
    expect(JSON.stringify(event)).not.toContain('not.a.token');

    for (let i = 0; i < 5; i++) await request(stack.baseUrl).get('/v1/videos').set('Authorization', `Bearer bad-${i}`).expect(401);
    await request(stack.baseUrl).get('/v1/videos').expect(401);
    expect(await denied()).toHaveLength(1);
  });
});
