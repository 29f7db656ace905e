import type { AppConfig } from '@heimdex/config';
import { json, text, urlencoded, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { CAPTIONS_MAX_BYTES } from '../videos/video-captions.service';
import { jsonTooDeep } from './json-depth';

/** Paths whose handlers read the body themselves (the embedded storage's signed PUT). */
const RAW_BODY_PREFIXES = ['/storage/'];
/** Public routes that take a body without a bearer token (signed by other means). */
const PUBLIC_BODY_PREFIXES = ['/v1/webhooks/'];

class BodyTooDeepError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
}

/**
 * JSON and form bodies with a small size limit and a nesting-depth limit checked on the raw
 * bytes before parsing. A request without a bearer token is refused by the auth guard anyway,
 * so its body is not parsed at all (except on the public routes that take one).
 */
export function bodyParsers(http: AppConfig['http']): RequestHandler {
  const verify = (req: IncomingMessage, _res: unknown, buf: Buffer) => {
    // Webhook signatures are computed over the exact bytes received.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
    if (jsonTooDeep(buf, http.jsonMaxDepth)) throw new BodyTooDeepError(`body nested too deeply (at most ${http.jsonMaxDepth} levels)`);
  };
  const parsers = [
    json({ limit: http.jsonMaxBytes, verify }),
    urlencoded({ extended: true, limit: http.jsonMaxBytes, parameterLimit: 200 }),
    // Caption files (PUT /v1/videos/:id/captions): plain text, no nesting to scan.
    text({ type: ['text/vtt', 'application/x-subrip'], limit: CAPTIONS_MAX_BYTES }),
  ];
  return (req: Request, res: Response, next: NextFunction) => {
    if (!shouldParse(req)) return next();
    const chain = (i: number) => (i === parsers.length ? next() : parsers[i](req, res, (err?: unknown) => (err ? next(err) : chain(i + 1))));
    chain(0);
  };
}

function shouldParse(req: Request): boolean {
  if (RAW_BODY_PREFIXES.some((p) => req.path.startsWith(p))) return false;
  if (/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) return true;
  return PUBLIC_BODY_PREFIXES.some((p) => req.path.startsWith(p));
}
