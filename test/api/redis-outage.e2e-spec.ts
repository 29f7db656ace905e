import request from 'supertest';
import { CuttableProxy } from '../helpers/cuttable-proxy';
import { freePort, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

/**
 * Requests that need no Redis are served while Redis is refused or frozen: the rate limits give
 * up after REDIS_COMMAND_TIMEOUT_MS and let them through, marked in a response header and counted
 * in a metric. What needs Redis (queue administration, stream tickets) answers 503 quickly, and a
 * video delete leaves the queue clean-up to the purge job.
 */
describe('api: Redis outage on the request path', () => {
  let proxy: CuttableProxy;
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    proxy = new CuttableProxy(await freePort(), { host: redis.hostname, port: Number(redis.port || 6379) });
    await proxy.up();
    stack = await startTestStack({
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_COMMAND_TIMEOUT_MS: '300', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' },
    });
    token = await hsToken();
  });
  afterAll(async () => {
    proxy.thaw();
    await proxy.up();
    await stack.close();
    await proxy.down();
  });

  const me = () => request(stack.baseUrl).get('/v1/auth/me').set(bearer(token));
  const api = () => request(stack.baseUrl);
  const newVideo = async () =>
    (await api().post('/v1/videos').set(bearer(token)).send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 10 }).expect(201)).body.video
      .id as string;

  /** A hang check, not a performance assertion: without bounded Redis calls these wait until Redis is back. */
  const SETTLES_WITHIN_MS = 10_000;
  async function settled(req: request.Test): Promise<request.Response> {
    try {
      return await req.timeout(SETTLES_WITHIN_MS);
    } catch (err) {
      throw new Error(`no answer within ${SETTLES_WITHIN_MS} ms: ${String(err)}`, { cause: err });
    }
  }
  /** Until the api's BullMQ connection answers again (after an earlier outage it reconnects with a backoff). */
  async function queuesAnswer(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (
      (
        await api()
          .get('/v1/admin/queues')
          .set(bearer(await hsToken({ role: 'admin' })))
      ).status !== 200
    ) {
      if (Date.now() > deadline) throw new Error('the queue store did not come back');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('with Redis up the limits count as usual', async () => {
    const res = await me().expect(200);
    expect(res.headers['x-ratelimit-remaining']).toBeDefined();
    expect(res.headers['x-ratelimit-degraded']).toBeUndefined();
  });

  it('while Redis is frozen a request is answered (before Redis comes back), unlimited and saying so', async () => {
    proxy.freeze();
    let answered: request.Response | undefined;
    try {
      answered = await me();
    } finally {
      proxy.thaw();
    }
    expect(answered.status).toBe(200);
    expect(answered.headers['x-ratelimit-degraded']).toBe('store-unavailable');
  });

  it('while Redis refuses connections requests are served unlimited, and the metric counts them', async () => {
    await proxy.down();
    try {
      for (let i = 0; i < 3; i++) {
        const res = await me().expect(200);
        expect(res.headers['x-ratelimit-degraded']).toBe('store-unavailable');
      }
    } finally {
      await proxy.up();
    }
    const metrics = await request(stack.baseUrl)
      .get('/metrics')
      .set(bearer(await hsToken({ role: 'admin' })))
      .expect(200);
    const ip = /heimdex_rate_limit_degraded_total\{limiter="ip"\} (\d+)/.exec(metrics.text);
    expect(Number(ip?.[1])).toBeGreaterThanOrEqual(4);
  });

  for (const outage of ['frozen', 'refused'] as const) {
    describe(`while Redis is ${outage}`, () => {
      let existing: string;
      const admin = async () => bearer(await hsToken({ role: 'admin' }));
      beforeAll(async () => {
        await queuesAnswer();
        existing = await newVideo();
        if (outage === 'frozen') proxy.freeze();
        else await proxy.down();
      });
      afterAll(async () => {
        proxy.thaw();
        await proxy.up();
      });

      it('GET /v1/videos and POST /v1/videos answer as usual', async () => {
        expect((await settled(api().get('/v1/videos').set(bearer(token)))).status).toBe(200);
        const created = await settled(api().post('/v1/videos').set(bearer(token)).send({ filename: 'b.mp4', contentType: 'video/mp4', sizeBytes: 10 }));
        expect(created.status).toBe(201);
      });

      it('DELETE /v1/videos/:id answers 204 (the purge job clears the queues later)', async () => {
        expect((await settled(api().delete(`/v1/videos/${existing}`).set(bearer(token)))).status).toBe(204);
        expect((await api().get(`/v1/videos/${existing}`).set(bearer(token))).status).toBe(404);
      });

      it('GET /v1/admin/queues answers 503 saying the queue store is unavailable', async () => {
        const res = await settled(
          api()
            .get('/v1/admin/queues')
            .set(await admin()),
        );
        expect(res.status).toBe(503);
        expect(res.body.message).toMatch(/queue store unavailable/);
      });

      it('POST /v1/videos/:id/events/ticket and a stream opened with a ticket answer 503', async () => {
        const id = await newVideo();
        const res = await settled(api().post(`/v1/videos/${id}/events/ticket`).set(bearer(token)));
        expect(res.status).toBe(503);
        expect(res.body.message).toMatch(/unavailable/);
        const ticketed = await settled(api().get(`/v1/videos/${id}/events?ticket=${'a'.repeat(43)}`));
        expect(ticketed.status).toBe(503);
      });

      // Last in this block: restores Redis and waits (bounded) until the api uses it again.
      it('after Redis returns, the rate limits count again and the queues answer', async () => {
        proxy.thaw();
        await proxy.up();
        const deadline = Date.now() + 60_000;
        let res = await me();
        while (res.headers['x-ratelimit-remaining'] === undefined && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 250));
          res = await me();
        }
        expect(res.headers['x-ratelimit-degraded']).toBeUndefined();
        expect(res.headers['x-ratelimit-remaining']).toBeDefined();
        await queuesAnswer();
      });
    });
  }
});
