import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { ExtractJwt, SecretOrKeyProvider, Strategy } from 'passport-jwt';
import type { KeyObject } from 'node:crypto';
import { AuthUser, authUserFromClaims, SupabaseClaims } from './auth-user';
import { SigningKeyResolver, TokenKeyError } from './signing-key-resolver';

type KeyCallback = (err: Error | null, key?: KeyObject) => void;

/**
 * passport-jwt types the key as string | Buffer, but hands it unchanged to jsonwebtoken, which
 * accepts a KeyObject (and verifies faster with one). This adapter is the one place that says so.
 */
function keyProvider(resolve: (rawJwt: string, done: KeyCallback) => void): SecretOrKeyProvider {
  return ((_req: unknown, rawJwt: string, done: KeyCallback) => resolve(rawJwt, done)) as unknown as SecretOrKeyProvider;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Verifies Supabase access tokens: signature, exp/nbf (with skew), aud, iss, then the claims we rely on. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    keys: SigningKeyResolver,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      algorithms: keys.algorithms as never,
      audience: config.auth.audience,
      issuer: config.auth.issuer ?? undefined,
      jsonWebTokenOptions: { clockTolerance: config.auth.clockSkewS },
      secretOrKeyProvider: keyProvider((rawJwt, done) => {
        const header = parseTokenHeader(rawJwt);
        if (!header) return done(new UnauthorizedException('malformed token header'));
        keys.keyFor(header).then(
          (key) => done(null, key),
          (err: Error) => done(new UnauthorizedException(err instanceof TokenKeyError ? err.message : 'no signing key for this token')),
        );
      }),
    });
  }

  validate(claims: SupabaseClaims): AuthUser {
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) throw new UnauthorizedException('token has no valid sub (user id)');
    if (typeof claims.exp !== 'number') throw new UnauthorizedException('token has no exp');
    // jsonwebtoken checks iat only with maxAge; a token "issued" in the future or with a non-numeric iat is forged or broken.
    if (claims.iat !== undefined) {
      if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) throw new UnauthorizedException('token has a non-numeric iat');
      if (claims.iat > Date.now() / 1000 + this.config.auth.clockSkewS) throw new UnauthorizedException('token is issued in the future (iat)');
    }
    const user = authUserFromClaims(claims);
    if (user.isAnonymous && !this.config.auth.allowAnonymous) throw new UnauthorizedException('anonymous users are not allowed');
    return user;
  }
}

/** The JOSE header as an object, or null when it is not one (garbage, `null`, an array). */
function parseTokenHeader(rawJwt: string): { alg?: unknown; kid?: unknown } | null {
  try {
    const header: unknown = JSON.parse(Buffer.from(rawJwt.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return header !== null && typeof header === 'object' && !Array.isArray(header) ? (header as { alg?: unknown; kid?: unknown }) : null;
  } catch {
    return null;
  }
}
