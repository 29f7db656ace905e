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

/** Query parameters that are credentials: presigned URL signatures, the dashboard's one-time ticket, tokens. */
const CREDENTIAL_PARAM = /[?&](X-(Amz|Heimdex)-Signature|ticket|token|access_token)=/i;

/** A URL with a credential in its query string: keep the path only. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const q = url.indexOf('?');
  if (q < 0) return url;
  return CREDENTIAL_PARAM.test(url) ? `${url.slice(0, q)}?[redacted]` : url;
}

/** Structured JSON logs (pino) with a request id on every line of a request. */
export function createLoggerModule(opts: { level: string; app: 'api' | 'worker' }) {
  return LoggerModule.forRoot({ pinoHttp: pinoHttpOptions(opts) });
}

/**
 * The request log's settings. Credentials never reach it: the Authorization and Cookie headers,
 * webhook signatures, Set-Cookie on responses (the dashboard's session) and credential query
 * parameters are redacted.
 */
export function pinoHttpOptions(opts: { level: string; app: 'api' | 'worker' }) {
  return {
    level: opts.level,
    base: { app: opts.app },
    genReqId: requestIdFor,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["webhook-signature"]', 'res.headers["set-cookie"]', 'res.headers.location'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id: string; method: string; url: string; headers: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        url: safeUrl(req.url),
        headers: req.headers,
      }),
    },
    autoLogging: {
      ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/health/ready',
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error): 'error' | 'warn' | 'info' =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  };
}
