import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Request-Id when it is sane, else a fresh UUID; echoed back on the response. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Presigned URLs and single-use tickets carry credentials in the query string: keep the path only. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  return /X-(Amz|Heimdex)-Signature|[?&]ticket=/i.test(url) ? `${url.slice(0, q)}?[redacted]` : url;
}

/** Structured JSON logs (pino) with a request id on every line of a request. */
export function createLoggerModule(opts: { level: string; app: 'api' | 'worker' }) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: opts.level,
      base: { app: opts.app },
      genReqId: requestIdFor,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["webhook-signature"]'], censor: '[redacted]' },
      serializers: {
        req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          url: safeUrl(req.url),
          headers: req.headers,
        }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/health/ready' },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  });
}
