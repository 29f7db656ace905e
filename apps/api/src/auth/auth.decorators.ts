import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser, Role } from './auth-user';

export const IS_PUBLIC = 'heimdex:isPublic';
export const ROLES = 'heimdex:roles';

export const STREAM_TICKET = 'heimdex:streamTicket';

/** Opts a route out of the global JWT guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Also accepts `?ticket=` from StreamTickets (for browsers' EventSource) in place of the bearer
 * header: issued for `purpose` and the resource in route parameter `param`.
 */
export const AcceptsStreamTicket = (purpose: string, param = 'id') => SetMetadata(STREAM_TICKET, { purpose, param });

/** Requires one of these roles (from app_metadata). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
  if (!req.user) throw new Error('CurrentUser used on a public route');
  return req.user;
});
