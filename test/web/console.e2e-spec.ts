import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import request from 'supertest';
import { apiRedisKey } from '../../apps/api/src/redis/redis.module';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

/** The API side of the web console: event-stream tickets, the sign-in config, and serving the console. */
describe('web console support', () => {
  let stack: TestStack;
  let redis: Redis;
  let alice: string;
  let bob: string;
  let videoId: string;
  let otherVideoId: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
    redis = new Redis(stack.config.redis.url);
    alice = await hsToken();
    bob = await hsToken();
    const create = async (token: string) =>
      (await api().post('/v1/videos').set(bearer(token)).send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 1000 }).expect(201)).body.video
        .id as string;
    videoId = await create(alice);
    otherVideoId = await create(alice);
  }, 180_000);

  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  const api = () => request(stack.baseUrl);
  const ticketFor = async (id: string, token = alice) =>
    (await api().post(`/v1/videos/${id}/events/ticket`).set(bearer(token)).expect(201)).body as { ticket: string; expiresAt: string };

  /** Opens the stream with a ticket (no Authorization header, as EventSource does) and reads up to its first event. */
  async function openWithTicket(id: string, ticket: string): Promise<{ status: number; first: string }> {
    const abort = new AbortController();
    const res = await fetch(`${stack.baseUrl}/v1/videos/${id}/events?ticket=${encodeURIComponent(ticket)}`, { signal: abort.signal });
    if (res.status !== 200) return { status: res.status, first: await res.text() };
    const reader = res.body!.getReader();
    let first = '';
    while (!/event: progress\n[^]*?\n\n/.test(first)) {
      const { value, done } = await reader.read();
      if (done) break;
      first += Buffer.from(value).toString();
    }
    abort.abort();
    return { status: res.status, first };
  }

  it('a ticket opens the event stream without a bearer header, once', async () => {
    const { ticket, expiresAt } = await ticketFor(videoId);
    expect(ticket).toMatch(/^[\w-]{43}$/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(30_000);
    const opened = await openWithTicket(videoId, ticket);
    expect(opened.status).toBe(200);
    expect(opened.first).toContain('event: progress');
    expect(opened.first).toContain(videoId);

    const reused = await openWithTicket(videoId, ticket);
    expect(reused.status).toBe(401);
    expect(reused.first).toMatch(/used already, has expired/);
  });

  it('an expired ticket is refused', async () => {
    const { ticket } = await ticketFor(videoId);
    // Let Redis expire it now instead of waiting out the 30 s.
    const key = apiRedisKey(stack.config, 'stream-ticket', createHash('sha256').update(ticket).digest('hex'));
    expect(await redis.pexpire(key, 1)).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect((await openWithTicket(videoId, ticket)).status).toBe(401);
  });

  it('a ticket is bound to its video: it does not open another one', async () => {
    const { ticket } = await ticketFor(videoId);
    expect((await openWithTicket(otherVideoId, ticket)).status).toBe(401);
    // ...and that failed attempt used it up.
    expect((await openWithTicket(videoId, ticket)).status).toBe(401);
  });

  it("another user's video gets no ticket (404), and a made-up ticket opens nothing", async () => {
    await api().post(`/v1/videos/${videoId}/events/ticket`).set(bearer(bob)).expect(404);
    expect((await openWithTicket(videoId, 'x'.repeat(43))).status).toBe(401);
    expect((await openWithTicket(videoId, 'short')).status).toBe(401);
  });

  it('the bearer header still works, and a ticket is no substitute on other routes', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/videos/${videoId}`, { headers: bearer(alice) });
    expect(res.status).toBe(200);
    const { ticket } = await ticketFor(videoId);
    await api().get(`/v1/videos/${videoId}?ticket=${ticket}`).expect(401);
  });

  it('GET /v1/auth/config needs no token and offers no dev sign-in outside development', async () => {
    const res = await api().get('/v1/auth/config').expect(200);
    expect(res.body).toEqual({ supabaseUrl: null, supabaseAnonKey: null, devSignIn: false });
  });

  it('says how to build the console when it is not built', async () => {
    const res = await api().get('/').expect(503);
    expect(res.text).toContain('npm start');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the built console under a strict CSP, client routes included, without shadowing the API, docs or probes', async () => {
    const dist = join(stack.config.rootDir, 'apps', 'web', 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1234.js"></script>');
    writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');

    for (const path of ['/', '/search?q=x', '/people/123']) {
      const res = await api().get(path).expect(200);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
    }
    const asset = await api().get('/assets/app-1234.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['content-security-policy']).toContain("script-src 'self'");
    await api().get('/assets/no-such-file.js').expect(404);

    const unknownApi = await api().get('/v1/no-such-route').expect(404);
    expect(unknownApi.body).toMatchObject({ statusCode: 404 });
    await api().get('/health').expect(200);
    const docs = await api().get('/docs/').expect(200);
    expect(docs.text).toContain('swagger');
    expect(docs.headers['content-security-policy']).toBeUndefined();
    await api().get('/v1/auth/me').expect(401);
  });
});

describe('GET /v1/auth/config', () => {
  it.each([
    [{ NODE_ENV: 'development' }, { supabaseUrl: null, supabaseAnonKey: null, devSignIn: true }],
    [
      { NODE_ENV: 'development', SUPABASE_URL: 'https://abc.supabase.co', SUPABASE_ANON_KEY: 'anon-key', SUPABASE_JWT_SECRET: 'x'.repeat(32) },
      { supabaseUrl: 'https://abc.supabase.co', supabaseAnonKey: 'anon-key', devSignIn: false },
    ],
  ])(
    'with %j',
    async (env, expected) => {
      const stack = await startTestStack({ env: { LOG_LEVEL: 'silent', ...env } });
      try {
        expect((await request(stack.baseUrl).get('/v1/auth/config').expect(200)).body).toEqual(expected);
      } finally {
        await stack.close();
      }
    },
    180_000,
  );
});
