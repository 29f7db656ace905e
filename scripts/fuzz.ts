/**
 * `npm run fuzz [-- --count 3000 --seed 1 --concurrency 4 --max-s 600]`: requests generated from
 * the committed openapi.json (every path and method; valid, boundary and hostile values, good and
 * forged tokens, other users' ids) against a real api it starts itself on 127.0.0.1 (embedded
 * PGlite, its own data folder, port and queue prefix). Prints counts by status and every 5xx or
 * broken connection with its request; exits 1 if there was any.
 */
import 'reflect-metadata';
import { findProjectRoot, loadConfig } from '@heimdex/config';
import { startEmbeddedPostgres } from '@heimdex/embedded';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiApp } from '../apps/api/src/create-api-app';
import { fuzzTokens, seedFixtures } from './fuzz/fixtures';
import { generateRequests, OpenApiDocument } from './fuzz/openapi-requests';
import { formatOutcome, runFuzz } from './fuzz/run-fuzz';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '3000' },
      seed: { type: 'string', default: String(Date.now() % 100_000) },
      concurrency: { type: 'string', default: '4' },
      'max-s': { type: 'string', default: '600' },
    },
  });
  const count = Math.min(Number(values.count), 100_000);
  const pg = await startEmbeddedPostgres({});
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'heimdex-fuzz-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({
    rootDir: root,
    env: {
      DATABASE_URL: pg.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'fatal',
      REDIS_URL: process.env.REDIS_URL,
      SUPABASE_JWT_SECRET: 'fuzz-secret-that-is-long-enough-0123456789',
      SUPABASE_WEBHOOK_SECRET: 'whsec_ZnV6ei1zZWNyZXQtZnV6ei1zZWNyZXQ=',
      QUEUE_PREFIX: `heimdex-fuzz-${Date.now()}`,
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '0',
    },
  });
  const api = await createApiApp(config);
  await api.listen(port, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  let failed: boolean;
  try {
    const doc = JSON.parse(readFileSync(join(findProjectRoot(), 'openapi.json'), 'utf8')) as OpenApiDocument;
    const { tokens } = await fuzzTokens(config);
    const ids = await seedFixtures(baseUrl, tokens);
    const requests = generateRequests(doc, {
      count,
      seed: Number(values.seed),
      ids,
      tokens,
    });
    console.log(`fuzzing ${baseUrl} with ${requests.length} requests over ${Object.keys(doc.paths).length} paths (seed ${values.seed})`);
    const t0 = Date.now();
    const outcome = await runFuzz(baseUrl, requests, {
      concurrency: Number(values.concurrency),
      timeoutMs: 30_000,
      deadline: t0 + Number(values['max-s']) * 1000,
    });
    const sent = [...outcome.byStatus.values()].reduce((a, b) => a + b, 0);
    console.log(formatOutcome(outcome, sent));
    console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s`);
    failed = outcome.failures.length > 0;
  } finally {
    await api.close();
    await pg.stop();
  }
  process.exit(failed ? 1 : 0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
