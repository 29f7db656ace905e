import request from 'supertest';
import { CuttableProxy } from '../helpers/cuttable-proxy';
import { freePort, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

/**
 * Requests that need no Redis are served while Redis is refused or frozen: the rate limits, the
 * only Redis on their path, give up after REDIS_COMMAND_TIMEOUT_MS and let them through, marked
 * in a response header and counted in a metric.
 */
describe('api: Redis outage on the request path', () => {
  let proxy: CuttableProxy;
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    proxy = new CuttableProxy(await freePort(), { host: redis.hostname, port: Number(redis.port || 6379) });
    await proxy.up();
    stack = await startTestStack({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_COMMAND_TIMEOUT_MS: '300', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
    token = await hsToken();
  });
  afterAll(async () => {
    proxy.thaw();
    await proxy.up();
    await stack.close();
    await proxy.down();
  });

  const me = () => request(stack.baseUrl).get('/v1/auth/me').set(bearer(token));

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
    const metrics = await request(stack.baseUrl).get('/metrics').set(bearer(await hsToken({ role: 'admin' }))).expect(200);
    const ip = /heimdex_rate_limit_degraded_total\{limiter="ip"\} (\d+)/.exec(metrics.text);
    expect(Number(ip?.[1])).toBeGreaterThanOrEqual(4);
  });
});
