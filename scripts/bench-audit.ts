/**
 * `npm run bench:audit [-- --seconds 30 --connections 16 --events 1000000]`
 *
 * 1. Audit write cost through the real API: `--connections` clients PATCH their own video for
 *    `--seconds`, against two api instances on one database, one auditing and one with
 *    AUDIT_HTTP_ENABLED=false, in alternating phases (on, off, on, off) so drift hits both alike;
 *    then one client, 10 s per mode, for the cost without queueing. Prints requests/s, events/s
 *    and latency percentiles side by side, and the p50/p95 the audit adds.
 * 2. Verification cost: `--events` events inserted unsealed, chained by the real sealer, then
 *    verified by the real verifier; prints seal and verify time per million events, and the
 *    latency of admin list pages (filters, first and deepest keyset page) on that table.
 * Runs on native Postgres (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), each
 * part in a database of its own that is dropped at the end.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { MikroORM } from '@mikro-orm/postgresql';
import type { INestApplication } from '@nestjs/common';
import { AuditCheckpoints, AuditSealer, AuditVerifier } from '@heimdex/audit';
import { AppConfig, loadConfig } from '@heimdex/config';
import { migrateToLatest, ormOptions, Video, VideoState } from '@heimdex/db';
import { createObjectStorage } from '@heimdex/storage';
import { fork } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createApiApp } from '../apps/api/src/create-api-app';
import { mintDevToken } from './dev-token';

const SECRET = 'bench-secret-that-is-long-enough-0123456789';

interface Target {
  path: string;
  token: string;
}

interface PhaseResult {
  latencies: number[];
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '30' }, connections: { type: 'string', default: '16' }, events: { type: 'string', default: '1000000' } },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const events = Number(values.events);
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  await withDatabase(server, 'http', (url) => benchHttp(url, seconds, connections));
  await withDatabase(server, 'chain', (url) => benchChain(url, events));
  process.exit(0);
}

// --- 1. write cost through the API ----------------------------------------------------------------

async function benchHttp(databaseUrl: string, seconds: number, connections: number): Promise<void> {
  const prefix = `heimdex-bench-audit-${Date.now()}`;
  const on = await startApi(databaseUrl, prefix, 'true');
  const off = await startApi(databaseUrl, prefix, 'false');
  const config = configFor(databaseUrl, prefix, 'true');
  const targets = await seedVideos(databaseUrl, config, connections);

  for (const { url } of [on, off]) {
    const t = targets[0];
    const res = await fetch(`${url}${t.path}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/json' },
      body: '{"title":"check"}',
    });
    if (res.status !== 200) throw new Error(`PATCH check failed: ${res.status} ${await res.text()}`);
  }
  const phase = Math.max(1, Math.round(seconds / 2));
  console.log(`\n[1/2] PATCH /v1/videos/:id, ${connections} clients (one video each), ${seconds} s per mode in ${phase} s phases: on, off, on, off`);
  await load(on.url, targets, 3, connections); // warm-up, not counted
  await load(off.url, targets, 3, connections);
  const results: Record<'on' | 'off', PhaseResult[]> = { on: [], off: [] };
  let written = 0;
  for (const mode of ['on', 'off', 'on', 'off'] as const) {
    const before = await countEvents(databaseUrl);
    results[mode].push(await load(mode === 'on' ? on.url : off.url, targets, phase, connections));
    const after = await countEvents(databaseUrl);
    if (mode === 'on') written += after - before;
    else if (after !== before) console.log(`  note: ${after - before} event(s) appeared during an audit-off phase (sealing or stragglers)`);
  }

  // The same with one client: the audit's own cost per request, without queueing behind 15 others.
  const single: Record<'on' | 'off', PhaseResult[]> = { on: [], off: [] };
  for (const mode of ['on', 'off', 'on', 'off'] as const) single[mode].push(await load(mode === 'on' ? on.url : off.url, targets.slice(0, 1), 5, 1));

  const rows = (['on', 'off'] as const).map((mode) => summarise(mode, results[mode]));
  const singleRows = (['on', 'off'] as const).map((mode) => summarise(mode, single[mode]));
  const [a, b] = rows;
  console.log('\nclients  audit   req/s   events/s   p50 ms   p95 ms   p99 ms   non-2xx');
  for (const [clients, r] of [...rows.map((r) => [connections, r] as const), ...singleRows.map((r) => [1, r] as const)]) {
    const eps = r.mode === 'on' && clients === connections ? written / r.seconds : NaN;
    console.log(
      `${String(clients).padStart(7)}  ${r.mode.padEnd(5)} ${r.rps.toFixed(0).padStart(7)} ${(Number.isNaN(eps) ? '' : eps.toFixed(0)).padStart(10)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.bad).padStart(9)}`,
    );
  }
  console.log(
    `\naudit events written under load: ${written} for ${a.requests} completed audited requests (requests still in flight when a phase ended wrote events too)`,
  );
  console.log(
    `added latency per request, ${connections} clients: p50 ${(a.p50 - b.p50).toFixed(1)} ms, p95 ${(a.p95 - b.p95).toFixed(1)} ms; throughput ${((a.rps / b.rps) * 100).toFixed(0)}% of the audit-off run`,
  );
  const [sa, sb] = singleRows;
  console.log(`added latency per request, 1 client: p50 ${(sa.p50 - sb.p50).toFixed(2)} ms, p95 ${(sa.p95 - sb.p95).toFixed(2)} ms`);

  const t0 = Date.now();
  const sealer = on.app.get(AuditSealer);
  while ((await sealer.sealPending()) > 0);
  const [{ n: unsealed }] = await query<{ n: string }>(databaseUrl, 'select count(*) as n from audit_events where chain_seq is null');
  console.log(`sealing backlog after the load: drained in ${Date.now() - t0} ms (${unsealed} left); the sealers ran during the load as well`);
  const verify = await on.app.get(AuditVerifier).verify();
  console.log(`chain after the load: ${JSON.stringify(verify)}`);
  await on.app.close();
  await off.app.close();
}

function summarise(mode: 'on' | 'off', phases: PhaseResult[]) {
  const latencies = phases.flatMap((p) => p.latencies).sort((x, y) => x - y);
  const requests = phases.reduce((s, p) => s + p.requests, 0);
  const secs = phases.reduce((s, p) => s + p.seconds, 0);
  return {
    mode,
    requests,
    seconds: secs,
    rps: requests / secs,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    bad: phases.reduce((s, p) => s + p.non2xx + p.errors, 0),
  };
}

function configFor(databaseUrl: string, prefix: string, audit: 'true' | 'false'): AppConfig {
  const root = mkdtempSync(join(tmpdir(), 'heimdex-bench-audit-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  return loadConfig({
    rootDir: root,
    env: {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      SUPABASE_JWT_SECRET: SECRET,
      QUEUE_PREFIX: prefix,
      AUDIT_HTTP_ENABLED: audit,
      // The load is the point here: no rate limit.
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_USER: '0',
    },
  });
}

async function startApi(databaseUrl: string, prefix: string, audit: 'true' | 'false'): Promise<{ app: INestApplication; url: string }> {
  const app = await createApiApp(configFor(databaseUrl, prefix, audit));
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function seedVideos(databaseUrl: string, config: AppConfig, count: number): Promise<Target[]> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, 2));
  const em = orm.em.fork();
  const targets: Target[] = [];
  for (let i = 0; i < count; i++) {
    const v = new Video();
    v.userId = randomUUID();
    v.filename = `clip-${i}.mp4`;
    v.contentType = 'video/mp4';
    v.sizeBytes = 1_000_000;
    v.storageKey = `videos/${v.userId}/${v.id}/source`;
    v.state = VideoState.Indexed;
    em.persist(v);
    targets.push({ path: `/v1/videos/${v.id}`, token: await mintDevToken(config, { sub: v.userId }) });
  }
  await em.flush();
  await orm.close();
  return targets;
}

/** autocannon in a child process (the load generator must not share the API's event loop); every latency kept. */
function load(url: string, targets: Target[], seconds: number, connections: number): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--load-client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (msg) => resolve({ ...(msg as Omit<PhaseResult, 'seconds'>), seconds }));
    child.once('error', reject);
    child.send({ url, targets, seconds, connections });
  });
}

function runLoadClient(): void {
  process.once('message', (msg: { url: string; targets: Target[]; seconds: number; connections: number }) => {
    const latencies: number[] = [];
    let next = 0;
    let n = 0;
    const instance = autocannon(
      {
        url: msg.url,
        connections: msg.connections,
        duration: msg.seconds,
        // Each connection PATCHes its own user's video, so no two clients contend for one row.
        setupClient: (client: { setRequests(r: object[]): void }) => {
          const t = msg.targets[next++ % msg.targets.length];
          client.setRequests([
            {
              method: 'PATCH',
              path: t.path,
              headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/json', 'User-Agent': 'bench-audit/1' },
              body: JSON.stringify({ title: `bench ${(n += 1)}` }),
            },
          ]);
        },
      },
      (err, result) => {
        if (err) throw err;
        process.send!({ latencies, requests: result.requests.total, non2xx: result.non2xx, errors: result.errors }, () => process.exit(0));
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

// --- 2. verification cost -------------------------------------------------------------------------

async function benchChain(databaseUrl: string, total: number): Promise<void> {
  const config = configFor(databaseUrl, `heimdex-bench-chain-${Date.now()}`, 'true');
  const orm = await MikroORM.init(ormOptions(databaseUrl, 4));
  await migrateToLatest(orm);
  console.log(`\n[2/2] ${total} events: insert (unsealed), seal with the sealer, verify with the verifier`);

  const chunk = 100_000;
  let t0 = Date.now();
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    await orm.em.fork().execute(
      `insert into audit_events (at, actor_id, actor_role, action, resource_type, resource_id, outcome, ip, user_agent, request_id, details)
       select now() - (${total} - i) * interval '10 milliseconds', ${V4_UUID_SQL('(i % 1000)::text')}, 'user',
              (array['videos.update', 'videos.create', 'videos.remove'])[1 + i % 3], 'videos', ${V4_UUID_SQL("'v' || (i % 20000)")}::text,
              'success', '203.0.113.' || (i % 250), 'bench-audit/1', md5('r' || i)::uuid::text,
              jsonb_build_object('method', 'PATCH', 'path', '/v1/videos/' || md5('v' || i)::uuid, 'status', 200, 'body', jsonb_build_object('title', 'Title ' || i))
         from generate_series(${from}, ${to}) as i`,
    );
  }
  const insertS = (Date.now() - t0) / 1000;

  const sealer = new AuditSealer(orm, config);
  t0 = Date.now();
  let sealed = 0;
  for (let n = await sealer.sealPending(); n > 0; n = await sealer.sealPending()) sealed += n;
  const sealS = (Date.now() - t0) / 1000;

  const verifier = new AuditVerifier(orm, new AuditCheckpoints(createObjectStorage(config.storage, config.publicUrl), config));
  t0 = Date.now();
  const result = await verifier.verify();
  const verifyS = (Date.now() - t0) / 1000;

  // The same check must fail on a change made behind the trigger.
  const middle = Math.floor(total / 2);
  await withClient(databaseUrl, async (c) => {
    await c.query('begin');
    await c.query('set local session_replication_role = replica');
    await c.query("update audit_events set action = 'videos.forged' where chain_seq = $1", [middle]);
    await c.query('commit');
  });
  t0 = Date.now();
  const tampered = await verifier.verify();
  const tamperS = (Date.now() - t0) / 1000;
  await orm.close();
  const pages = await benchListPages(databaseUrl, config);

  const perMillion = (s: number, n: number) => ((s * 1_000_000) / Math.max(1, n)).toFixed(1);
  console.log('\nstep                      events      seconds   s per million');
  console.log(`insert (SQL, unsealed) ${String(total).padStart(10)} ${insertS.toFixed(1).padStart(12)} ${perMillion(insertS, total).padStart(15)}`);
  console.log(`seal (AuditSealer)     ${String(sealed).padStart(10)} ${sealS.toFixed(1).padStart(12)} ${perMillion(sealS, sealed).padStart(15)}`);
  console.log(
    `verify (AuditVerifier) ${String(result.checked).padStart(10)} ${verifyS.toFixed(1).padStart(12)} ${perMillion(verifyS, result.checked).padStart(15)}`,
  );
  console.log(`verify result: ${JSON.stringify(result)}`);
  console.log(`after tampering with position ${middle}: ${JSON.stringify(tampered)} in ${tamperS.toFixed(1)} s`);
  console.log(`\nGET /v1/admin/audit on ${total} events (limit 50), median of 15 requests each`);
  console.log('query                                      first page ms   deepest page ms   pages walked to reach it');
  for (const p of pages)
    console.log(`${p.name.padEnd(42)} ${p.firstMs.toFixed(1).padStart(13)} ${p.deepMs.toFixed(1).padStart(17)} ${String(p.pages).padStart(26)}`);
}

/**
 * Keyset pages through the real API at both ends of a big table: the first page, and the page
 * reached by following nextCursor to the oldest events (1000-event filters), or a cursor built
 * for the oldest id (whole table).
 */
async function benchListPages(databaseUrl: string, config: AppConfig): Promise<{ name: string; firstMs: number; deepMs: number; pages: number }[]> {
  const app = await createApiApp(configFor(databaseUrl, `heimdex-bench-list-${Date.now()}`, 'true'));
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/v1/admin/audit`;
  const token = await mintDevToken(config, { role: 'admin' });
  const get = async (params: Record<string, string>) => {
    const t0 = performance.now();
    const res = await fetch(`${base}?${new URLSearchParams(params)}`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`list failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    return { ms: performance.now() - t0, body };
  };
  const median = async (params: Record<string, string>) => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) times.push((await get(params)).ms);
    return times.sort((a, b) => a - b)[7];
  };
  const [oldest] = await query<{ id: string; at: Date }>(databaseUrl, 'select id::text as id, at from audit_events order by at, id offset 60 limit 1');
  const cases: { name: string; params: Record<string, string> }[] = [
    { name: 'no filter', params: {} },
    { name: 'actorId (1000 events)', params: { actorId: md5Uuid('7') } },
    { name: 'resourceType + resourceId (50 events)', params: { resourceType: 'videos', resourceId: md5Uuid('v7') } },
    { name: 'action (1/3 of the table)', params: { action: 'videos.remove' } },
    {
      name: 'from/to (one hour, 360k events)',
      params: { from: new Date(Date.now() - 3 * 3600_000).toISOString(), to: new Date(Date.now() - 2 * 3600_000).toISOString() },
    },
  ];
  const out = [];
  for (const c of cases) {
    const firstMs = await median({ ...c.params, limit: '50' });
    // Walk to the last page of small filters; for big ones jump with a cursor at the oldest events.
    let cursor: string | null = Buffer.from(JSON.stringify(['a', oldest.at.toISOString(), oldest.id])).toString('base64url');
    let pages = 0;
    if (c.params.actorId || c.params.resourceId) {
      cursor = null;
      let next: string | null = (await get({ ...c.params, limit: '50' })).body.nextCursor;
      while (next) {
        cursor = next;
        pages += 1;
        next = (await get({ ...c.params, limit: '50', cursor: next })).body.nextCursor;
      }
    }
    const deepMs = await median({ ...c.params, limit: '50', ...(cursor ? { cursor } : {}) });
    out.push({ name: c.name, firstMs, deepMs, pages });
  }
  await app.close();
  return out;
}

/** A deterministic version-4-shaped UUID from md5(text), in SQL and in TypeScript alike. */
function V4_UUID_SQL(textExpr: string): string {
  return `overlay(overlay(md5(${textExpr}) placing '4' from 13) placing '8' from 17)::uuid`;
}

function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  const v4 = `${h.slice(0, 12)}4${h.slice(13, 16)}8${h.slice(17)}`;
  return `${v4.slice(0, 8)}-${v4.slice(8, 12)}-${v4.slice(12, 16)}-${v4.slice(16, 20)}-${v4.slice(20)}`;
}

// --- plumbing -------------------------------------------------------------------------------------

async function withDatabase(server: string, part: string, fn: (url: string) => Promise<void>): Promise<void> {
  const name = `heimdex_bench_audit_${part}_${Date.now()}`;
  await withClient(server, (c) => c.query(`create database ${name}`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  try {
    await fn(url.toString());
  } finally {
    await withClient(server, (c) => c.query(`drop database if exists ${name} with (force)`));
  }
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function query<T>(url: string, text: string): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(text)).rows as T[]);
}

async function countEvents(url: string): Promise<number> {
  const [row] = await query<{ n: string }>(url, 'select count(*) as n from audit_events');
  return Number(row.n);
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

if (process.argv.includes('--load-client')) {
  runLoadClient();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
