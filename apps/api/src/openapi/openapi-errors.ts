import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger';

const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const UNAUTHORIZED: ResponseObject = { description: 'missing, malformed, expired or otherwise invalid bearer token', content: ERROR };
const TOO_MANY: ResponseObject = {
  description: 'rate limit reached (RATE_LIMIT_PER_IP / RATE_LIMIT_PER_USER per RATE_LIMIT_WINDOW_S)',
  headers: { 'Retry-After': { description: 'seconds until the window resets', schema: { type: 'integer' } } },
  content: ERROR,
};
const BAD_REQUEST: ResponseObject = { description: 'a parameter or the body is invalid; the message names each problem', content: ERROR };

/**
 * The error responses every route shares, documented per route from what the route has, so a
 * new route gets them without remembering a decorator: 401 where a bearer token is needed, 429 on
 * everything under /v1 (the rate limits run before authentication), 400 where there are
 * parameters or a body to validate. A 404 stays only where the route names a resource (a path
 * parameter, or an `...Id` query parameter such as search's videoId): a class-wide "no such
 * video" does not apply to creating or listing.
 */
export function documentErrorResponses(doc: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) documentOperation(path, op, doc);
    }
  }
  return doc;
}

function documentOperation(path: string, op: OperationObject, doc: OpenAPIObject): void {
  const responses = op.responses;
  const params = (op.parameters ?? []).filter((p): p is ParameterObject => !('$ref' in p));
  const secured = (op.security ?? doc.security ?? []).length > 0;
  if (secured) responses['401'] ??= UNAUTHORIZED;
  if (path.startsWith('/v1/')) responses['429'] ??= TOO_MANY;
  if (params.length > 0 || op.requestBody) responses['400'] ??= BAD_REQUEST;
  const namesResource = params.some((p) => p.in === 'path' || (p.in === 'query' && /Id$/.test(p.name)));
  if (!namesResource) delete responses['404'];
}
