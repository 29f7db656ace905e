import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { ExtractJwt, SecretOrKeyProvider, Strategy } from 'passport-jwt';
import type { KeyObject } from 'node:crypto';
import { AuthUser, authUserFromClaims, SupabaseClaims } from './auth-user';
import { SigningKeyResolver } from './signing-key-resolver';

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
        let header: { alg?: unknown; kid?: unknown };
        try {
          header = JSON.parse(Buffer.from(rawJwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as typeof header;
        } catch {
          return done(new UnauthorizedException('malformed token header'));
        }
        keys.keyFor(header).then(
          (key) => done(null, key),
          (err: Error) => done(new UnauthorizedException(err.message)),
        );
      }),
    });
  }

  validate(claims: SupabaseClaims): AuthUser {
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) throw new UnauthorizedException('token has no valid sub (user id)');
    if (typeof claims.exp !== 'number') throw new UnauthorizedException('token has no exp');
    const user = authUserFromClaims(claims);
    if (user.isAnonymous && !this.config.auth.allowAnonymous) throw new UnauthorizedException('anonymous users are not allowed');
    return user;
  }
}
