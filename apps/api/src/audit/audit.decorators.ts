import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../auth/auth-user';

export const AUDIT_OPTIONS = 'heimdex:audit';

export interface AuditOptions {
  /** Defaults to `<resourceType>.<handler name>`, e.g. `videos.update`. */
  action?: string;
  /** Defaults to the last segment of the controller's path, e.g. `videos`. */
  resourceType?: string;
  /** Route parameter holding the resource id (default `id`). */
  idParam?: string;
  /** Record reads (GET) too. Default: yes on admin-only routes, no elsewhere. */
  reads?: boolean;
  /** Keep the request body out of the event's details (it may carry personal data). */
  omitBody?: boolean;
  /** Who the caller is when there is no user token (webhooks: the identity provider). */
  anonymousActor?: 'system';
  /** Not audited at all. */
  skip?: boolean;
}

/** How a route is audited; on a controller it sets defaults for every route of it. */
export const Audit = (options: AuditOptions) => SetMetadata(AUDIT_OPTIONS, options);

/** What a handler adds to its request's audit event: the id of what it created or touched, and details. */
export interface AuditAnnotation {
  resourceId?: string;
  /** The caller when the request carries no user token but proves one otherwise (a dashboard ticket). */
  actor?: { id: string; role: Role };
  details?: Record<string, unknown>;
}

const ANNOTATION = Symbol('heimdex:auditAnnotation');
type AnnotatedRequest = Request & { [ANNOTATION]?: AuditAnnotation };

export function auditAnnotation(req: Request): AuditAnnotation {
  const r = req as AnnotatedRequest;
  r[ANNOTATION] ??= {};
  return r[ANNOTATION];
}

/** Injects the request's audit annotation for the handler to fill in. */
export const AuditNote = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuditAnnotation =>
  auditAnnotation(ctx.switchToHttp().getRequest<Request>()),
);
