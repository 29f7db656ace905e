import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject, SchemaObject } from '@nestjs/swagger';

/**
 * What a client reads in the committed openapi.json (test/ops/operations.e2e-spec.ts fails when it
 * is stale, so this is the code's document): shared errors on every route, 404s only where a
 * resource is named, the event stream's schema, and examples.
 */
const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'openapi.json'), 'utf8')) as OpenAPIObject;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) => (item[method] ? [{ path, method, op: item[method] as OperationObject }] : [])),
);
const errorSchema = (r: ResponseObject) => (r.content?.['application/json']?.schema as { $ref?: string } | undefined)?.$ref;

describe('openapi.json', () => {
  it('documents 401 on every route that needs a token, 429 on every /v1 route, 400 wherever there is input', () => {
    for (const { path, method, op } of operations) {
      const responses = op.responses as Record<string, ResponseObject>;
      const where = `${method.toUpperCase()} ${path}`;
      if ((op.security ?? []).length) expect([where, errorSchema(responses['401'])]).toEqual([where, '#/components/schemas/ErrorDto']);
      if (path.startsWith('/v1/')) expect([where, Object.keys(responses['429']?.headers ?? {})]).toEqual([where, ['Retry-After']]);
      if (op.parameters?.length || op.requestBody) expect([where, Boolean(responses['400'])]).toEqual([where, true]);
    }
  });

  it('a 404 only where the route names a resource', () => {
    const has404 = (method: string, path: string) => Boolean(operations.find((o) => o.method === method && o.path === path)?.op.responses['404']);
    expect(has404('post', '/v1/videos')).toBe(false);
    expect(has404('get', '/v1/videos')).toBe(false);
    expect(has404('post', '/v1/people')).toBe(false);
    expect(has404('get', '/v1/faces/clusters')).toBe(false);
    expect(has404('get', '/v1/videos/{id}')).toBe(true);
    expect(has404('get', '/v1/search')).toBe(true);
    for (const { path, method, op } of operations.filter((o) => o.op.responses['404'])) {
      const params = (op.parameters ?? []) as ParameterObject[];
      expect([method, path, params.some((p) => p.in === 'path' || /Id$/.test(p.name))]).toEqual([method, path, true]);
    }
  });

  it('the event stream has a schema for its progress events', () => {
    const ok = doc.paths['/v1/videos/{id}/events'].get!.responses['200'] as ResponseObject;
    const ref = (ok.content?.['text/event-stream']?.schema as { $ref: string }).$ref;
    const schema = doc.components!.schemas![ref.split('/').pop()!] as SchemaObject;
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(['error', 'id', 'progress', 'stages', 'state']);
  });

  it('scalar properties carry examples (and search results say matchedBy title)', () => {
    const scalars = Object.values(doc.components!.schemas!).flatMap((s) =>
      Object.values((s as SchemaObject).properties ?? {}).filter(
        (p): p is SchemaObject => !('$ref' in p) && (['string', 'number', 'integer', 'boolean'].includes(String(p.type)) || Boolean(p.enum)),
      ),
    );
    const withExample = scalars.filter((p) => p.example !== undefined);
    expect(withExample.length / scalars.length).toBeGreaterThan(0.9);
    expect((doc.components!.schemas!.SearchMode as SchemaObject).enum).toContain('title');
  });
});
