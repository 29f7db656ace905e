import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { concatMap, Observable } from 'rxjs';
import type { HttpAuditRecorder } from './http-audit-recorder';

/** Each api instance's recorder, by its Express app (tests and benchmarks run several in one process). */
const recorders = new WeakMap<object, HttpAuditRecorder>();

export function registerAuditRecorder(expressApp: object, recorder: HttpAuditRecorder): void {
  recorders.set(expressApp, recorder);
}

/**
 * Records the success event of an audited request once its handler finished, before the
 * response is sent (a client that saw 2xx knows the event was written). Failures never reach
 * here: they are recorded by the exception filter. One instance serves every api instance in
 * the process, because it is bound to the controller classes (see AuditInterceptorBinder), which
 * they share; it writes through the recorder of the app that received the request.
 */
class AuditInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const recorder = recorders.get(req.app);
    if (!recorder?.specFor(req)) return next.handle();
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await recorder.recordSuccess(req, res, value);
        return value;
      }),
    );
  }
}

export const AUDIT_INTERCEPTOR = new AuditInterceptor();
