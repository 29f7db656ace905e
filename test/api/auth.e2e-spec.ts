import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { bearer, hsToken } from '../helpers/tokens';
import { startTestStack, TestStack } from '../helpers/test-stack';

/** A local JWKS endpoint standing in for Supabase's /auth/v1/.well-known/jwks.json. */
class JwksServer {
  keys: JWK[] = [];
  fetches = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      this.fetches += 1;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function keyPair(alg: 'ES256' | 'RS256', kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { publicKey, privateKey, jwk };
}

function asymToken(privateKey: Parameters<SignJWT['sign']>[0], alg: string, kid: string, sub = '22222222-2222-4222-8222-222222222222') {
  return new SignJWT({ role: 'authenticated', aud: 'authenticated', app_metadata: { tier: 'pro' } })
    .setProtectedHeader({ alg, kid })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

describe('auth: Supabase token verification', () => {
  let stack: TestStack;
  let jwks: JwksServer;
  let es: Awaited<ReturnType<typeof keyPair>>;
  let rs: Awaited<ReturnType<typeof keyPair>>;

  beforeAll(async () => {
    jwks = new JwksServer();
    await jwks.start();
    es = await keyPair('ES256', 'es-1');
    rs = await keyPair('RS256', 'rs-1');
    jwks.keys = [es.jwk, rs.jwk];
    stack = await startTestStack({ env: { SUPABASE_JWKS_URL: jwks.url, AUTH_JWKS_COOLDOWN_MS: '0' } });
  });

  afterAll(async () => {
    await stack.close();
    await jwks.stop();
  });

  const me = (headers: Record<string, string> = {}) => request(stack.baseUrl).get('/v1/auth/me').set(headers);

  it('GET /v1/auth/me answers from the claims (HS256 legacy secret)', async () => {
    const sub = '33333333-3333-4333-8333-333333333333';
    const token = await hsToken({
      sub,
      role: 'admin',
      tier: 'pro',
      extra: { user_metadata: { full_name: 'Ada L', onboarding_completed: true, email_verified: true } },
    });
    const res = await me(bearer(token)).expect(200);
    expect(res.body).toEqual({
      id: sub,
      email: 'user@example.com',
      emailVerified: true,
      role: 'admin',
      tier: 'pro',
      displayName: 'Ada L',
      onboardingCompleted: true,
    });
  });

  it('verifies ES256 and RS256 tokens against the JWKS', async () => {
    expect((await me(bearer(await asymToken(es.privateKey, 'ES256', 'es-1'))).expect(200)).body.tier).toBe('pro');
    await me(bearer(await asymToken(rs.privateKey, 'RS256', 'rs-1'))).expect(200);
  });

  it('refetches the JWKS when a token names an unknown kid (key rotation)', async () => {
    const rotated = await keyPair('ES256', 'es-2');
    jwks.keys = [...jwks.keys, rotated.jwk];
    const before = jwks.fetches;
    await me(bearer(await asymToken(rotated.privateKey, 'ES256', 'es-2'))).expect(200);
    expect(jwks.fetches).toBe(before + 1);
    // a known kid is served from the cache
    await me(bearer(await asymToken(rotated.privateKey, 'ES256', 'es-2'))).expect(200);
    expect(jwks.fetches).toBe(before + 1);
  });

  it('never lets a JWKS public key act as an HS256 secret (algorithm confusion)', async () => {
    const { createPublicKey } = await import('node:crypto');
    const pem = createPublicKey({ key: es.jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const forged = await new SignJWT({ aud: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', kid: 'es-1' })
      .setSubject('44444444-4444-4444-8444-444444444444')
      .setExpirationTime('1h')
      .sign(Buffer.from(pem));
    const res = await me(bearer(forged)).expect(401);
    expect(res.body.message).toMatch(/invalid signature/);
  });

  it('rejects an ES256 token signed by a key other than the kid it names', async () => {
    const other = await keyPair('ES256', 'es-1');
    await me(bearer(await asymToken(other.privateKey, 'ES256', 'es-1'))).expect(401);
  });

  describe.each([
    ['no token', async () => ({})],
    ['alg none', async () => bearer(unsignedToken())],
    ['HS512 (not on the allow-list)', async () => bearer(await hs512Token())],
    ['expired beyond the skew', async () => bearer(await hsToken({ expiresInS: -120 }))],
    ['not valid yet beyond the skew', async () => bearer(await hsToken({ notBeforeS: 120 }))],
    ['wrong audience', async () => bearer(await hsToken({ aud: 'anon' }))],
    ['wrong secret', async () => bearer(await hsToken({ secret: 'another-secret-that-is-long-enough-0123456789' }))],
    ['tampered payload', async () => bearer(tamper(await hsToken()))],
    ['missing sub', async () => bearer(await hsToken({ sub: null }))],
    ['sub not a UUID', async () => bearer(await hsToken({ sub: 'admin' }))],
    ['anonymous user', async () => bearer(await hsToken({ extra: { is_anonymous: true } }))],
    ['garbage', async () => ({ Authorization: 'Bearer not.a.jwt' })],
    ['iat ten years ahead', async () => bearer(await hsToken({ extra: { iat: Math.floor(Date.now() / 1000) + 10 * 365 * 86400 } }))],
    ['iat not a number', async () => bearer(await hsToken({ extra: { iat: 'yesterday' } }))],
    ['a null header', async () => bearer(await nullHeaderToken())],
  ])('refuses %s with 401 and a reason', (_name, headers) => {
    it('401', async () => {
      const res = await me(await headers()).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(res.body.message).toEqual(expect.any(String));
      expect(res.body.requestId).toEqual(expect.any(String));
      expect(res.body.message).not.toMatch(/Cannot read|undefined|null \(/);
    });
  });

  it('says why an iat is refused', async () => {
    const future = await me(bearer(await hsToken({ extra: { iat: Math.floor(Date.now() / 1000) + 3600 } }))).expect(401);
    expect(future.body.message).toMatch(/issued in the future/);
    const word = await me(bearer(await hsToken({ extra: { iat: 'yesterday' } }))).expect(401);
    expect(word.body.message).toMatch(/non-numeric iat/);
    await me(bearer(await hsToken({ extra: { iat: Math.floor(Date.now() / 1000) + 10 } }))).expect(200);
  });

  it('refuses a token whose header is JSON null as malformed, without internals', async () => {
    const res = await me(bearer(await nullHeaderToken())).expect(401);
    expect(res.body.message).toBe('invalid token: malformed token header');
  });

  it('accepts a token expired within the 30 s clock skew', async () => {
    await me(bearer(await hsToken({ expiresInS: -10 }))).expect(200);
  });

  it('never takes the role from user_metadata (users can edit it)', async () => {
    const token = await hsToken({ extra: { user_metadata: { role: 'admin' }, app_metadata: { tier: 'enterprise' } } });
    const res = await me(bearer(token)).expect(200);
    expect(res.body.role).toBe('user');
    expect(res.body.tier).toBe('enterprise');
  });

  it('app_metadata.roles containing admin is an admin; admin-only routes are 403 for others', async () => {
    const admin = await hsToken({ extra: { app_metadata: { roles: ['admin'] } } });
    expect((await me(bearer(admin)).expect(200)).body.role).toBe('admin');
    await request(stack.baseUrl).get('/metrics').set(bearer(admin)).expect(200);
    const user = await hsToken();
    const res = await request(stack.baseUrl).get('/metrics').set(bearer(user)).expect(403);
    expect(res.body.message).toMatch(/requires role: admin/);
  });
});

describe('auth: anonymous users when allowed', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { AUTH_ALLOW_ANONYMOUS: 'true' } });
  });
  afterAll(() => stack.close());

  it('lets an anonymous user in when AUTH_ALLOW_ANONYMOUS=true', async () => {
    await request(stack.baseUrl)
      .get('/v1/auth/me')
      .set(bearer(await hsToken({ extra: { is_anonymous: true } })))
      .expect(200);
  });
});

function unsignedToken(): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: '55555555-5555-4555-8555-555555555555', aud: 'authenticated', exp: now + 3600 })}.`;
}

async function hs512Token(): Promise<string> {
  const { TEST_JWT_SECRET } = await import('../helpers/test-config');
  return new SignJWT({ aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS512' })
    .setSubject('66666666-6666-4666-8666-666666666666')
    .setExpirationTime('1h')
    .sign(Buffer.from(TEST_JWT_SECRET));
}

/** A token signed with the test secret whose JOSE header is the JSON literal `null`. */
async function nullHeaderToken(): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const { TEST_JWT_SECRET } = await import('../helpers/test-config');
  const now = Math.floor(Date.now() / 1000);
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(null)}.${enc({ sub: '77777777-7777-4777-8777-777777777777', aud: 'authenticated', iat: now, exp: now + 3600 })}`;
  return `${input}.${createHmac('sha256', TEST_JWT_SECRET).update(input).digest('base64url')}`;
}

function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  payload.app_metadata = { role: 'admin' };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}
