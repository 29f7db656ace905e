import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { buildOpenApiDocument } from '../../apps/api/src/openapi/openapi-document';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

describe('operations: health, docs, metrics, logs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { METRICS_TOKEN: 'prometheus-scrape-token-0123' } });
  });
  afterAll(() => stack.close());

  it('GET /health is public liveness', async () => {
    expect((await request(stack.baseUrl).get('/health').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('GET /health/ready checks database, migrations, Redis and storage', async () => {
    const res = await request(stack.baseUrl).get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(Object.keys(res.body.info).sort()).toEqual(['database', 'migrations', 'redis', 'storage']);
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json with bearer auth declared', async () => {
    expect((await request(stack.baseUrl).get('/docs').expect(200)).text).toMatch(/swagger-ui/i);
    const doc = (await request(stack.baseUrl).get('/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/v1/auth/me', '/v1/videos', '/v1/videos/{id}', '/v1/videos/{id}/complete', '/v1/videos/{id}/events', '/health/ready']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    for (const schema of ['CreateVideoDto', 'VideoDto', 'CreatedVideoDto', 'ErrorDto', 'MeDto']) expect(doc.components.schemas).toHaveProperty([schema]);
  });

  it('the committed openapi.json matches the code (run `npm run openapi` after API changes)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8');
    expect(`${JSON.stringify(buildOpenApiDocument(stack.api), null, 2)}\n`).toBe(committed);
  });

  it('GET /metrics: Prometheus text for admins; /metrics/scrape with METRICS_TOKEN', async () => {
    await request(stack.baseUrl)
      .get('/v1/auth/me')
      .set(bearer(await hsToken()))
      .expect(200);
    const res = await request(stack.baseUrl)
      .get('/metrics')
      .set(bearer(await hsToken({ role: 'admin' })))
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/heimdex_http_request_duration_seconds_count\{method="GET",route="\/v1\/auth\/me",status="200"\} \d+/);
    expect(res.text).toMatch(/heimdex_process_resident_memory_bytes/);
    await request(stack.baseUrl).get('/metrics').expect(401);
    await request(stack.baseUrl).get('/metrics/scrape').set(bearer('prometheus-scrape-token-0123')).expect(200);
    await request(stack.baseUrl).get('/metrics/scrape').set(bearer('wrong-token-wrong-token-00')).expect(401);
  });

  it('errors are JSON with a request id, never a stack trace', async () => {
    const res = await request(stack.baseUrl)
      .get('/v1/nothing-here')
      .set(bearer(await hsToken()))
      .expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String), requestId: expect.any(String) });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});
