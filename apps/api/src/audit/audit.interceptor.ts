import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { concatMap, Observable } from 'rxjs';
import { HttpAuditRecorder } from './http-audit-recorder';

/**
 * Records the success event of an audited request once its handler finished, before the
 * response is sent (a client that saw 2xx knows the event was written). Failures never reach
 * here: they are recorded by the exception filter.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly recorder: HttpAuditRecorder) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (!this.recorder.specFor(req)) return next.handle();
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await this.recorder.recordSuccess(req, res, value);
        return value;
      }),
    );
  }
}
