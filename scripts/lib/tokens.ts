import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** The HS256 secret every test config (test/helpers/test-config.ts) verifies tokens with. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TokenOptions {
  sub?: string | null;
  role?: 'admin';
  tier?: string;
  aud?: string;
  iss?: string;
  expiresInS?: number;
  notBeforeS?: number;
  extra?: Record<string, unknown>;
  secret?: string;
}

/** HS256 Supabase-shaped token for tests; pass `sub: null` to leave the claim out. */
export async function hsToken(opts: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const appMetadata: Record<string, unknown> = { provider: 'email' };
  if (opts.role) appMetadata.role = opts.role;
  if (opts.tier) appMetadata.tier = opts.tier;
  const claims: Record<string, unknown> = {
    email: 'user@example.com',
    role: 'authenticated',
    app_metadata: appMetadata,
    user_metadata: {},
    aud: opts.aud ?? 'authenticated',
    iat: now,
    exp: now + (opts.expiresInS ?? 3600),
    ...opts.extra,
  };
  if (opts.sub !== null) claims.sub = opts.sub ?? randomUUID();
  if (opts.iss) claims.iss = opts.iss;
  if (opts.notBeforeS !== undefined) claims.nbf = now + opts.notBeforeS;
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(Buffer.from(opts.secret ?? TEST_JWT_SECRET));
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
