import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from './auth.decorators';

/** Global: every route needs a valid token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(ctx: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    return super.canActivate(ctx);
  }

  /** Say why a token was refused (expired, bad audience...) without echoing the token. */
  override handleRequest<TUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err instanceof UnauthorizedException) throw err;
    if (err || !user) {
      const reason = info instanceof Error ? info.message : err instanceof Error ? err.message : 'missing bearer token';
      throw new UnauthorizedException(reason === 'No auth token' ? 'missing bearer token' : `invalid token: ${reason}`);
    }
    return user;
  }
}
