import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { auditEventRow } from '@heimdex/audit';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { ActorRole, AuditOutcome } from '@heimdex/db';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import type { FailureRecorder } from '../common/http-exception.filter';
import { auditAnnotation } from './audit.decorators';
import { AuditBatchWriter } from './audit-batch-writer';
import { AuditRouteRegistry, AuditSpec } from './audit-route-registry';
import { clientIp } from './client-ip';
import { DeniedAuthTally } from './denied-auth-tally';

const RECORDED = Symbol('heimdex:auditRecorded');
type AuditedRequest = Request & { user?: AuthUser; id?: unknown; [RECORDED]?: true };

/**
 * Writes the one audit event of an audited request. Success is recorded by AuditInterceptor
 * after the handler finished and before the response goes out; every failure (guards' 401 and
 * 403, validation, handler errors) by the exception filter, before the error response goes
 * out. A request is marked when recorded, so it is never recorded twice. 429s are left to the
 * rate limiter, which records the first one of each window instead of every one of a flood.
 */
@Injectable()
export class HttpAuditRecorder implements FailureRecorder, OnModuleDestroy {
  private readonly logger = new Logger('Audit');
  private readonly deniedAuth = new DeniedAuthTally(DENIED_AUTH_WINDOW_MS);
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly writer: AuditBatchWriter,
    private readonly routes: AuditRouteRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (!config.audit.httpEnabled) this.logger.warn('AUDIT_HTTP_ENABLED=false: requests are not written to the audit trail');
    this.sweep = setInterval(() => void this.writeDeniedSummaries(false), DENIED_AUTH_WINDOW_MS / 4).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweep);
    await this.writeDeniedSummaries(true);
  }

  /** The request's spec when it is to be recorded (and was not yet). */
  specFor(req: Request): AuditSpec | null {
    if (!this.config.audit.httpEnabled || (req as AuditedRequest)[RECORDED]) return null;
    return this.routes.forRequest(req);
  }

  async recordSuccess(req: Request, res: Response, result: unknown): Promise<void> {
    const spec = this.specFor(req);
    if (!spec) return;
    await this.write(req, spec, {
      outcome: AuditOutcome.Success,
      status: res.headersSent ? res.statusCode : spec.successStatus,
      resultId: resourceIdOf(result),
    });
  }

  async recordFailure(req: Request, failure: { status: number; message: string; requestId: string }): Promise<void> {
    if (failure.status === 429) return;
    const spec = this.specFor(req);
    if (!spec) {
      if (failure.status === 401) await this.recordDeniedAuth(req, failure);
      return;
    }
    const outcome = failure.status === 401 || failure.status === 403 ? AuditOutcome.Denied : AuditOutcome.Error;
    await this.write(req, spec, { outcome, status: failure.status, error: failure.message, requestId: failure.requestId });
  }

  /** The first request refused by a rate limit in its window (the rest of a flood is not written). */
  async recordRateLimited(req: Request, limiter: 'ip' | 'user', limit: number, windowS: number): Promise<void> {
    if (!this.config.audit.httpEnabled) return;
    const spec: AuditSpec = { ...RATE_LIMITED, resourceType: limiter === 'ip' ? 'clients' : 'users' };
    const user = (req as AuditedRequest).user;
    await this.write(req, spec, {
      outcome: AuditOutcome.Denied,
      status: 429,
      error: `rate limit exceeded: ${limit} per ${windowS} s`,
      resourceId: limiter === 'user' ? (user?.id ?? null) : clientIp(req),
    });
  }

  /**
   * A refused token on a route that is not audited otherwise (reads, /metrics): the first of
   * each client address per window now, the rest as one counted summary when the window ends.
   */
  private async recordDeniedAuth(req: Request, failure: { status: number; message: string; requestId: string }): Promise<void> {
    if (!this.config.audit.httpEnabled || (req as AuditedRequest)[RECORDED]) return;
    if (!this.deniedAuth.note(clientIp(req) ?? 'unknown')) return;
    await this.write(req, DENIED_AUTH, {
      outcome: AuditOutcome.Denied,
      status: failure.status,
      error: failure.message,
      requestId: failure.requestId,
      resourceId: clientIp(req),
    });
  }

  private async writeDeniedSummaries(all: boolean): Promise<void> {
    for (const { ip, count } of this.deniedAuth.drain(Date.now(), all)) {
      try {
        await this.writer.write(
          auditEventRow({
            actorId: null,
            actorRole: ActorRole.Anonymous,
            action: DENIED_AUTH.action,
            resourceType: DENIED_AUTH.resourceType,
            resourceId: ip,
            outcome: AuditOutcome.Denied,
            ip: ip === 'unknown' ? null : ip,
            userAgent: null,
            requestId: null,
            details: { status: 401, count, windowS: DENIED_AUTH_WINDOW_MS / 1000, note: 'further refused tokens from this address in the window' },
          }),
        );
      } catch (err) {
        this.logger.error({ err, action: DENIED_AUTH.action }, 'audit event could not be written');
      }
    }
  }

  /** Never throws: a failed audit write is logged as an error (and the request proceeds). */
  private async write(req: Request, spec: AuditSpec, what: Recorded): Promise<void> {
    const { outcome, status, error, resultId, requestId, resourceId } = what;
    const r = req as AuditedRequest;
    r[RECORDED] = true;
    const note = auditAnnotation(req);
    const user = r.user ?? note.actor;
    const param = (req.params as Record<string, unknown> | undefined)?.[spec.idParam];
    const body = req.body as unknown;
    const query = req.query as Record<string, unknown> | undefined;
    try {
      await this.writer.write(
        auditEventRow({
          actorId: user?.id ?? null,
          actorRole: user
            ? user.role === 'admin'
              ? ActorRole.Admin
              : ActorRole.User
            : spec.anonymousActor === 'system'
              ? ActorRole.System
              : ActorRole.Anonymous,
          action: spec.action,
          resourceType: spec.resourceType,
          resourceId: resourceId ?? note.resourceId ?? (typeof param === 'string' ? param : null) ?? resultId ?? null,
          outcome,
          ip: clientIp(req),
          userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
          requestId: requestId ?? (r.id === undefined ? null : String(r.id)),
          details: {
            method: req.method,
            path: req.path,
            status,
            ...(query && Object.keys(query).length ? { query } : {}),
            ...(!spec.omitBody && isNonEmptyObject(body) ? { body } : {}),
            ...(error ? { error } : {}),
            ...note.details,
          },
        }),
      );
    } catch (err) {
      this.logger.error({ err, action: spec.action, requestId: r.id }, 'audit event could not be written');
    }
  }
}

/** What happened to a request, beyond what its route spec says. */
interface Recorded {
  outcome: AuditOutcome;
  status: number;
  error?: string;
  /** The id a create returned. */
  resultId?: string | null;
  /** When the request has no id yet (rejected before the logger middleware). */
  requestId?: string;
  /** Overrides every other source of the resource id. */
  resourceId?: string | null;
}

const DENIED_AUTH_WINDOW_MS = 60_000;

const DENIED_AUTH: AuditSpec = {
  action: 'auth.denied',
  resourceType: 'clients',
  idParam: 'id',
  reads: true,
  omitBody: true,
  anonymousActor: null,
  successStatus: 200,
};

const RATE_LIMITED: AuditSpec = {
  action: 'rate_limit.exceeded',
  resourceType: null,
  idParam: 'id',
  reads: true,
  omitBody: true,
  anonymousActor: null,
  successStatus: 200,
};

function isNonEmptyObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && Object.keys(v).length > 0;
}

/** The id of what a create returned: `{ id }` or `{ video: { id } }`. */
function resourceIdOf(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as { id?: unknown; video?: { id?: unknown } };
  const id = r.id ?? r.video?.id;
  return typeof id === 'string' ? id : null;
}
