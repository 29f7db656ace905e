import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { AuthUser } from './auth-user';
import { IS_PUBLIC, STREAM_TICKET } from './auth.decorators';
import { StreamTickets } from './stream-tickets';

/** Global: every route needs a valid token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly tickets: StreamTickets,
  ) {
    super();
  }

  override canActivate(ctx: ExecutionContext) {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const ticketed = this.reflector.getAllAndOverride<{ purpose: string; param: string } | undefined>(STREAM_TICKET, targets);
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if (ticketed && typeof req.query.ticket === 'string' && !req.headers.authorization) return this.redeemTicket(req, req.query.ticket, ticketed);
    return super.canActivate(ctx);
  }

  private async redeemTicket(req: Request & { user?: AuthUser }, ticket: string, opts: { purpose: string; param: string }): Promise<boolean> {
    const user = await this.tickets.redeem(ticket, opts.purpose, String(req.params[opts.param]));
    if (!user) throw new UnauthorizedException('this stream ticket was used already, has expired or is for another resource: ask for a new one');
    req.user = user;
    return true;
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
