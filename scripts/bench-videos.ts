/**
 * `npm run bench:videos [-- --seconds 30 --connections 10 --videos 200]`
 * Load on GET /v1/videos (first page and a cursor page, plus GET /v1/auth/me as a no-database baseline) with autocannon against the real
 * API (load from a separate process). Runs on embedded PGlite and, when DATABASE_URL is set, on that Postgres too, one after
 * the other in the same run, and prints them side by side.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '@heimdex/config';
import { ormOptions, Video, VideoState } from '@heimdex/db';
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiApp } from '../apps/api/src/create-api-app';
import { onEachBackend } from './bench-backends';
import { mintDevToken } from './dev-token';

interface Row {
  backend: string;
  route: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

const USER = '00000000-0000-4000-8000-0000000000be';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '30' }, connections: { type: 'string', default: '10' }, videos: { type: 'string', default: '200' } },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const videos = Number(values.videos);
  const rows = await onEachBackend('heimdex_bench', (backend, url) =>
    benchBackend(backend, url, { seconds, connections, videos, baseline: backend === 'pglite' }),
  );

  console.log(`\nGET /v1/videos, ${connections} connections, ${seconds} s per row, ${videos} videos seeded for one user\n`);
  console.log('backend   route              req/s    p50 ms  p95 ms  p99 ms  errors');
  for (const r of rows) {
    console.log(
      `${r.backend.padEnd(9)} ${r.route.padEnd(17)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.errors).padStart(7)}`,
    );
  }
  process.exit(0);
}

async function benchBackend(
  backend: string,
  databaseUrl: string,
  opts: { seconds: number; connections: number; videos: number; baseline: boolean },
): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'heimdex-bench-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({
    rootDir: root,
    // No rate limits: the load is the point.
    env: {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      SUPABASE_JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
      QUEUE_PREFIX: `heimdex-bench-${Date.now()}`,
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '0',
    },
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  await seed(databaseUrl, opts.videos);
  const token = await mintDevToken(config, { sub: USER, tier: 'pro' });
  const base = `http://127.0.0.1:${port}/v1/videos`;
  const first = (await (await fetch(`${base}?limit=20`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { nextCursor: string };
  const rows: Row[] = [];
  const routes: Array<readonly [string, string]> = [
    ['first page', `${base}?limit=20`],
    ['cursor page', `${base}?limit=20&cursor=${first.nextCursor}`],
  ];
  // Baseline without the database (token verification + framework), measured once.
  if (opts.baseline) routes.unshift(['auth/me (no db)', `http://127.0.0.1:${port}/v1/auth/me`]);
  for (const [route, url] of routes) {
    const { result, latencies } = await load(url, token, opts);
    latencies.sort((a, b) => a - b);
    rows.push({
      backend,
      route,
      rps: result.requests.average,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      p99: quantile(latencies, 0.99),
      errors: result.errors + result.non2xx,
    });
  }
  await app.close();
  return rows;
}

interface LoadResult {
  result: { requests: { average: number }; errors: number; non2xx: number };
  latencies: number[];
}

/**
 * Runs autocannon in a child process (so the load generator does not share the API's event
 * loop) and keeps every response time, for exact percentiles (its summary has no p95).
 */
function load(url: string, token: string, opts: { seconds: number; connections: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--load-client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (msg) => resolve(msg as LoadResult));
    child.once('error', reject);
    child.send({ url, token, ...opts });
  });
}

function runLoadClient(): void {
  process.once('message', (msg: { url: string; token: string; seconds: number; connections: number }) => {
    const latencies: number[] = [];
    const instance = autocannon(
      { url: msg.url, connections: msg.connections, duration: msg.seconds, headers: { Authorization: `Bearer ${msg.token}` } },
      (err, result) => {
        if (err) throw err;
        process.send!({ result: { requests: { average: result.requests.average }, errors: result.errors, non2xx: result.non2xx }, latencies }, () =>
          process.exit(0),
        );
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

async function seed(databaseUrl: string, count: number): Promise<void> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, 2));
  const em = orm.em.fork();
  const t0 = Date.now() - count * 1000;
  for (let i = 0; i < count; i++) {
    const v = new Video();
    v.userId = USER;
    v.filename = `clip-${i}.mp4`;
    v.contentType = 'video/mp4';
    v.sizeBytes = 1_000_000 + i;
    v.storageKey = `videos/${USER}/${v.id}/source`;
    v.state = VideoState.Processing;
    v.createdAt = new Date(t0 + i * 1000);
    em.persist(v);
  }
  await em.flush();
  await orm.close();
}

if (process.argv.includes('--load-client')) {
  runLoadClient();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
