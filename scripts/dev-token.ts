import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@heimdex/config';

export interface DevTokenClaims {
  sub?: string;
  email?: string;
  role?: 'admin' | 'user';
  tier?: 'free' | 'pro' | 'enterprise';
  ttlS?: number;
  anonymous?: boolean;
}

/** A Supabase-shaped access token signed with the configured HS256 secret. */
export async function mintDevToken(config: AppConfig, claims: DevTokenClaims): Promise<string> {
  if (!config.auth.jwtSecret) throw new Error('no SUPABASE_JWT_SECRET configured: tokens can only be minted with the HS256 secret');
  const appMetadata: Record<string, unknown> = { provider: 'email', tier: claims.tier ?? 'free' };
  if (claims.role === 'admin') appMetadata.role = 'admin';
  let jwt = new SignJWT({
    email: claims.email ?? 'dev@heimdex.local',
    role: 'authenticated',
    app_metadata: appMetadata,
    user_metadata: { display_name: (claims.email ?? 'dev').split('@')[0], email_verified: true },
    is_anonymous: claims.anonymous === true,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? randomUUID())
    .setAudience(config.auth.audience)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlS ?? 12 * 3600}s`);
  if (config.auth.issuer) jwt = jwt.setIssuer(config.auth.issuer);
  return jwt.sign(Buffer.from(config.auth.jwtSecret, 'utf8'));
}
