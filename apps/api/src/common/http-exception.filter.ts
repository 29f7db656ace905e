import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestIdFor } from '@heimdex/observability';
import { STATUS_CODES } from 'node:http';

/**
 * Turns every error into `{ statusCode, error, message, requestId }`. Unknown errors become a
 * bare 500 (logged with the stack, never sent): no stack traces or SQL reach the client.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  /** `recorder` writes the audit event of a failed request before the error response goes out. */
  constructor(private readonly recorder?: FailureRecorder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const { status, message } = describe(exception);
    // Errors raised before the logger middleware ran (body parsing) have no id yet.
    const requestId = req.id ? String(req.id) : requestIdFor(req, res);
    if (status >= 500) this.logger.error({ err: exception, requestId }, 'unhandled error');
    const reply = () => {
      if (res.headersSent) return;
      res.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, requestId });
    };
    if (!this.recorder) return reply();
    this.recorder.recordFailure(req, { status, message, requestId }).then(reply, reply);
  }
}

/** Records a failed request (the audit trail); must not throw. */
export interface FailureRecorder {
  recordFailure(req: Request, failure: { status: number; message: string; requestId: string }): Promise<void>;
}

function describe(exception: unknown): { status: number; message: string } {
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    return { status: exception.getStatus(), message };
  }
  // body-parser and similar middleware errors carry a safe 4xx status and `expose`.
  const e = exception as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
    const message = e.type === 'entity.parse.failed' ? 'malformed JSON body' : e.type === 'entity.too.large' ? 'request body too large' : String(e.message);
    return { status: e.status, message };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'internal server error' };
}
