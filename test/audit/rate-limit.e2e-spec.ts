import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { auditRows } from '../helpers/audit';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

/** Per-user and per-address limits with low settings, counted in Redis, through the real API. */
describe('rate limits', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', RATE_LIMIT_PER_USER: '5', RATE_LIMIT_PER_IP: '12', RATE_LIMIT_WINDOW_S: '30' },
    });
  });

  afterAll(() => stack.close());

  const me = (token?: string) => {
    const r = request(stack.baseUrl).get('/v1/auth/me');
    return token ? r.set(bearer(token)) : r;
  };

  it('limits each user on their own, with Retry-After and the standard error body; then the address as a whole', async () => {
    const aliceId = randomUUID();
    const alice = await hsToken({ sub: aliceId });
    const bob = await hsToken();
    for (let i = 0; i < 5; i++) await me(alice).expect(200);
    const limited = await me(alice).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/5 per 30 s allowed for this user/),
      requestId: expect.any(String),
    });
    await me(alice).expect(429);

    // Bob, from the same address, still has his own allowance.
    await me(bob).expect(200);

    // 8 requests from this address so far (alice 7, bob 1); the address allows 12, counted before authentication.
    for (let i = 0; i < 4; i++) await me().expect(401);
    const byAddress = await me(bob).expect(429);
    expect(byAddress.body.message).toMatch(/12 per 30 s allowed for this client address/);
    expect(Number(byAddress.headers['retry-after'])).toBeGreaterThan(0);

    // A flood writes one audit event per limit and window, not one per refused request.
    const events = await auditRows(stack.db.url, "action = 'rate_limit.exceeded'");
    expect(events.map((e) => ({ type: e.resource_type, outcome: e.outcome, role: e.actor_role }))).toEqual([
      { type: 'users', outcome: 'denied', role: 'user' },
      { type: 'clients', outcome: 'denied', role: 'anonymous' },
    ]);
    expect(events[0]).toMatchObject({ actor_id: aliceId, resource_id: aliceId });
    expect(events[1]).toMatchObject({ resource_id: '127.0.0.1', ip: '127.0.0.1' });
  });

  it('with the address limited, /health still answers: only /v1 is limited', async () => {
    await request(stack.baseUrl).get('/health').expect(200);
  });
});
