import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { auditRows, eventsOfRequest } from '../helpers/audit';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/** A delivery as Supabase sends it: Standard Webhooks headers over the exact body bytes. */
function signed(body: unknown, opts: { id?: string; at?: Date; secret?: string } = {}) {
  const raw = JSON.stringify(body);
  const id = opts.id ?? `msg_${randomUUID()}`;
  const at = opts.at ?? new Date();
  const signature = new Webhook(opts.secret ?? SECRET).sign(id, at, raw);
  return {
    raw,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
      'content-type': 'application/json',
    },
  };
}

describe('POST /v1/webhooks/supabase', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: {
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        // Supabase shows the secret with a version prefix; both forms work.
        SUPABASE_WEBHOOK_SECRET: `v1,${SECRET}`,
        ASR_ENGINE: 'none',
        OCR_ENABLED: 'false',
        FACES_ENABLED: 'false',
      },
    });
  });

  afterAll(() => stack.close());

  const post = (d: { raw: string; headers: Record<string, string> }) => request(stack.baseUrl).post('/v1/webhooks/supabase').set(d.headers).send(d.raw);

  it("user.deleted purges the user's videos, rows and objects through a job; the audit trail keeps the user's events", async () => {
    const userId = randomUUID();
    const client = new VideosClient(stack.baseUrl, await hsToken({ sub: userId }));
    const videoId = await client.upload(media.video(2));
    await client.indexed(videoId);
    const eventsBefore = (await auditRows(stack.db.url, 'actor_id = $1', [userId])).length;

    const delivery = signed({ type: 'user.deleted', timestamp: new Date().toISOString(), data: { id: userId, email: 'gone@example.com' } });
    const res = await post(delivery).expect(202);
    expect(res.body).toMatchObject({ received: true, type: 'user.deleted', action: 'purge_queued', userId, webhookId: delivery.headers['webhook-id'] });

    await eventually(
      async () => ((await sql<{ n: string }>(stack.db.url, 'select count(*) as n from videos where user_id = $1', [userId]))[0].n === '0' ? true : undefined),
      30_000,
    );
    expect(await sql(stack.db.url, 'select 1 from scenes where user_id = $1', [userId])).toEqual([]);
    expect(await stack.api.get<ObjectStorage>(OBJECT_STORAGE).stat(videoKeys.source(userId, videoId))).toBeNull();
    expect((await auditRows(stack.db.url, 'actor_id = $1', [userId])).length).toBe(eventsBefore);

    const [received] = await eventsOfRequest(stack.db.url, res.headers['x-request-id'] as string);
    expect(received).toMatchObject({
      actor_id: null,
      actor_role: 'system',
      action: 'webhooks.supabase',
      resource_type: 'users',
      resource_id: userId,
      outcome: 'success',
    });
    expect(received.details).toMatchObject({ webhookId: delivery.headers['webhook-id'], type: 'user.deleted', action: 'purge_queued' });
    // The body (an email address here) is not copied into the trail.
    expect(JSON.stringify(received.details)).not.toContain('gone@example.com');
    const [purged] = await eventually(async () => {
      const rows = await auditRows(stack.db.url, "action = 'users.purged' and resource_id = $1", [userId]);
      return rows.length ? rows : undefined;
    });
    expect(purged.details).toMatchObject({ reason: 'user.deleted' });
  });

  it('a database webhook DELETE on auth.users means the same', async () => {
    const userId = randomUUID();
    const res = await post(signed({ type: 'DELETE', table: 'users', schema: 'auth', record: null, old_record: { id: userId } })).expect(202);
    expect(res.body).toMatchObject({ type: 'user.deleted', action: 'purge_queued', userId });
  });

  it('refuses a replay of an accepted delivery, even with a valid signature and timestamp', async () => {
    const delivery = signed({ type: 'user.deleted', data: { id: randomUUID() } });
    await post(delivery).expect(202);
    const replay = await post(delivery).expect(409);
    expect(replay.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/already received/) });
  });

  it('refuses a wrong signature, another secret, a tampered body, missing headers: 401, audited as denied', async () => {
    const good = signed({ type: 'user.deleted', data: { id: randomUUID() } });
    const wrongSig = await post({ ...good, headers: { ...good.headers, 'webhook-signature': 'v1,AAAA' } }).expect(401);
    expect(wrongSig.body.message).toMatch(/No matching signature/);
    await post(signed({ type: 'user.deleted', data: { id: randomUUID() } }, { secret: `whsec_${randomBytes(24).toString('base64')}` })).expect(401);
    await post({ ...good, raw: good.raw.replace('user.deleted', 'user.created') }).expect(401);
    const { 'webhook-signature': _omit, ...noSig } = good.headers;
    const missing = await post({ raw: good.raw, headers: noSig }).expect(401);
    expect(missing.body.message).toMatch(/webhook-signature/);
    const [denied] = await eventsOfRequest(stack.db.url, wrongSig.body.requestId);
    expect(denied).toMatchObject({ action: 'webhooks.supabase', outcome: 'denied', actor_role: 'system' });
    expect(JSON.stringify(denied.details)).not.toMatch(/AAAA/);
    // The refused delivery was not remembered: the genuine one still goes through.
    await post(good).expect(202);
  });

  it('refuses a timestamp more than 5 minutes old or ahead, though correctly signed', async () => {
    const old = await post(signed({ type: 'user.deleted', data: { id: randomUUID() } }, { at: new Date(Date.now() - 6 * 60_000) })).expect(401);
    expect(old.body.message).toMatch(/too old/);
    const ahead = await post(signed({ type: 'user.deleted', data: { id: randomUUID() } }, { at: new Date(Date.now() + 6 * 60_000) })).expect(401);
    expect(ahead.body.message).toMatch(/too new/);
    await post(signed({ type: 'user.deleted', data: { id: randomUUID() } }, { at: new Date(Date.now() - 4 * 60_000) })).expect(202);
  });

  it('acknowledges other events without acting, and rejects a user.deleted that names no user', async () => {
    const other = await post(signed({ type: 'user.updated', data: { id: randomUUID() } })).expect(202);
    expect(other.body).toMatchObject({ type: 'user.updated', action: 'ignored' });
    const bad = signed({ type: 'user.deleted', data: {} });
    const res = await post(bad).expect(400);
    expect(res.body.message).toMatch(/must name the user/);
    // Not acted on, so not remembered: a corrected sender may retry the same id... with the same body it stays 400.
    await post(bad).expect(400);
  });

  it('without SUPABASE_WEBHOOK_SECRET the endpoint says it is not configured', async () => {
    const bare = await startTestStack({ env: { LOG_LEVEL: 'silent' } });
    try {
      const res = await request(bare.baseUrl)
        .post('/v1/webhooks/supabase')
        .set(signed({ type: 'user.deleted', data: { id: randomUUID() } }).headers)
        .send('{}')
        .expect(503);
      expect(res.body.message).toMatch(/SUPABASE_WEBHOOK_SECRET/);
    } finally {
      await bare.close();
    }
  });
});
