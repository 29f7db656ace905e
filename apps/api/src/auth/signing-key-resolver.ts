import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { createRemoteJWKSet, type JWTHeaderParameters } from 'jose';
import { createSecretKey, KeyObject } from 'node:crypto';

/** Algorithms Supabase signs with: the legacy shared secret, and its asymmetric signing keys. */
export const SYMMETRIC_ALGS = ['HS256'] as const;
export const ASYMMETRIC_ALGS = ['ES256', 'RS256'] as const;

export class TokenKeyError extends Error {}

/**
 * Picks the verification key for a token from its header. The allow-list is by source: HS256
 * only ever gets the configured secret, and a JWKS key is only handed out for ES256/RS256, so
 * a public key can never be used as an HMAC secret (algorithm confusion).
 */
@Injectable()
export class SigningKeyResolver {
  private readonly secret: KeyObject | null;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = config.auth.jwtSecret ? createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')) : null;
    // jose caches the set, refetches when a token names an unknown kid (rate-limited by the cooldown).
    this.jwks = config.auth.jwksUrl
      ? createRemoteJWKSet(new URL(config.auth.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: config.auth.jwksCooldownMs, timeoutDuration: 5000 })
      : null;
  }

  /** The algorithms this deployment accepts at all (passed to the verifier too). */
  get algorithms(): string[] {
    return [...(this.secret ? SYMMETRIC_ALGS : []), ...(this.jwks ? ASYMMETRIC_ALGS : [])];
  }

  /**
   * A KeyObject, never a string or Buffer: jsonwebtoken re-parses those with createPublicKey on
   * every verification, which cost more than the rest of a request.
   */
  async keyFor(header: { alg?: unknown; kid?: unknown }): Promise<KeyObject> {
    const alg = typeof header.alg === 'string' ? header.alg : '';
    if ((SYMMETRIC_ALGS as readonly string[]).includes(alg)) {
      if (!this.secret) throw new TokenKeyError(`${alg} tokens are not accepted (no SUPABASE_JWT_SECRET configured)`);
      return this.secret;
    }
    if ((ASYMMETRIC_ALGS as readonly string[]).includes(alg)) {
      if (!this.jwks) throw new TokenKeyError(`${alg} tokens are not accepted (no JWKS URL configured)`);
      if (typeof header.kid !== 'string' || !header.kid) throw new TokenKeyError('token header has no kid');
      const protectedHeader: JWTHeaderParameters = { alg, kid: header.kid };
      try {
        const key = await this.jwks(protectedHeader, { payload: '', signature: '' });
        if (!(key instanceof KeyObject) || key.type !== 'public') throw new TokenKeyError('JWKS returned no usable public key');
        return key;
      } catch (err) {
        if (err instanceof TokenKeyError) throw err;
        throw new TokenKeyError(`no signing key for kid ${header.kid}: ${(err as Error).message}`);
      }
    }
    throw new TokenKeyError(`algorithm ${alg || '(none)'} is not accepted`);
  }
}
