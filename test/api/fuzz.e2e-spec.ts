import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzTokens, seedFixtures } from '../../scripts/fuzz/fixtures';
import { generateRequests, OpenApiDocument } from '../../scripts/fuzz/openapi-requests';
import { formatOutcome, runFuzz } from '../../scripts/fuzz/run-fuzz';
import { startTestStack, TestStack } from '../helpers/test-stack';

/** `npm run fuzz` at a small count: requests generated from openapi.json must never get a 5xx. */
describe('fuzzing the API from its OpenAPI document', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        SUPABASE_WEBHOOK_SECRET: 'whsec_ZnV6ei1zZWNyZXQtZnV6ei1zZWNyZXQ=',
        RATE_LIMIT_PER_IP: '0',
        RATE_LIMIT_PER_USER: '0',
      },
    });
  });
  afterAll(() => stack.close());

  it('300 valid, boundary and hostile requests over every path and method: no 5xx, no broken connection', async () => {
    const doc = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as OpenApiDocument;
    const { tokens } = await fuzzTokens(stack.config);
    const ids = await seedFixtures(stack.baseUrl, tokens);
    const requests = generateRequests(doc, {
      count: 300,
      seed: 20261202,
      ids,
      tokens,
    });
    expect(new Set(requests.map((r) => r.operation)).size).toBeGreaterThanOrEqual(Object.keys(doc.paths).length);
    const outcome = await runFuzz(stack.baseUrl, requests, {
      concurrency: 4,
      timeoutMs: 30_000,
      deadline: Date.now() + 150_000,
    });
    const report = formatOutcome(outcome, requests.length);
    expect(outcome.failures.map((f) => `${f.status} ${f.request.method} ${f.request.url}`)).toEqual([]);
    expect([...outcome.byStatus.values()].reduce((a, b) => a + b, 0)).toBe(requests.length);
    expect(report).toContain('300 requests');
  }, 180_000);
});
