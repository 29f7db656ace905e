/**
 * `npm start`: runs the api and the worker. With no DATABASE_URL it serves an embedded Postgres
 * (PGlite + pgvector) to both; with no S3_ENDPOINT they use the embedded local-disk storage.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '@heimdex/config';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import { assertRedisReachable, EmbeddedPostgres, ProcessSupervisor, startEmbeddedPostgres } from '@heimdex/embedded';
import { formatLogLine } from '@heimdex/observability';
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { mintDevToken } from './dev-token';

const DEV_ADMIN_ID = '00000000-0000-4000-8000-000000000001';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  log(`config from ${config.envFile ?? 'the environment (no .env file)'}; data in ${config.dataDir}`);
  await assertRedisReachable(config.redis.url);

  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pglite'), port: config.database.embeddedPort });
    databaseUrl = embedded.url;
    // PGlite is a single session shared by every socket, so an advisory lock cannot order the
    // api and the worker there: migrate once here, before either starts.
    const orm = await MikroORM.init(ormOptions(databaseUrl, 2));
    const { applied } = await migrateToLatest(orm);
    await orm.close();
    log(`embedded Postgres (PGlite + pgvector) at ${databaseUrl}${applied.length ? `, applied ${applied.length} migration(s)` : ''}`);
  }

  const env = { ...process.env, DATABASE_URL: databaseUrl };
  const pretty = Boolean(process.stdout.isTTY);
  let workerReady: ((signals: WorkerSignal[]) => void) | null = null;
  const workerSignals = new Promise<WorkerSignal[]>((resolve) => (workerReady = resolve));
  const supervisors = (['api', 'worker'] as const).map(
    (name) =>
      new ProcessSupervisor({
        name,
        log,
        start: () => {
          const child = fork(join(__dirname, '..', 'apps', name, 'src', 'main.js'), [], { env, stdio: pretty ? ['ignore', 'pipe', 'pipe', 'ipc'] : 'inherit' });
          if (pretty) {
            for (const stream of [child.stdout, child.stderr]) prettyLines(stream, config.logLevel === 'debug' || config.logLevel === 'trace');
          }
          child.on('message', (m: { type?: string; signals?: WorkerSignal[] }) => {
            if (m?.type === 'heimdex:worker-ready') workerReady?.(m.signals ?? []);
          });
          return child;
        },
      }),
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping api and worker...');
    await Promise.all(supervisors.map((s) => s.stop(config.worker.shutdownTimeoutMs + 5000)));
    await embedded?.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // A crashed api or worker is restarted with backoff (ProcessSupervisor); the other keeps running.
  supervisors.forEach((s) => s.start());

  const base = `http://127.0.0.1:${config.port}`;
  await waitForReady(`${base}/health/ready`, 120_000, () => stopping);
  const signals = await workerSignals;
  const publicBase = config.publicUrl;
  const lines = [
    '',
    `Heimdex is ready in ${((Date.now() - started) / 1000).toFixed(1)} s (api and worker)`,
    `  Console  ${publicBase}/${config.auth.supabaseUrl ? '' : '   (sign in with the dev token below)'}`,
    `  API      ${publicBase}/v1`,
    `  Docs     ${publicBase}/docs   (OpenAPI: ${publicBase}/docs-json)`,
    `  Health   ${publicBase}/health/ready`,
    `  Queues   ${publicBase}/v1/admin/board/ui/   (POST /v1/admin/board/session with an admin token gives a sign-in URL)`,
    `  Storage  ${config.storage.driver === 'local' ? `embedded, files in ${config.storage.root}` : config.storage.endpoint}`,
    `  Database ${embedded ? 'embedded PGlite in ' + join(config.dataDir, 'pglite') : 'DATABASE_URL'}`,
    `  Signals  ${signals.map((s) => `${s.signal} ${s.on ? 'on' : 'off'}`).join(', ')}`,
    ...signals.filter((s) => !s.on).map((s) => `           ${s.signal} off: ${s.detail}`),
  ];
  if (config.auth.jwtSecret) {
    const token = await mintDevToken(config, { sub: DEV_ADMIN_ID, email: 'admin@heimdex.local', role: 'admin', tier: 'pro' });
    lines.push(
      '',
      `Dev admin token (12 h; more with: npm run token -- --email you@example.com --role admin --tier pro):`,
      token,
      '',
      `Try: curl -H "Authorization: Bearer <token>" ${publicBase}/v1/auth/me`,
    );
  }
  console.log(lines.join('\n') + '\n');
}

interface WorkerSignal {
  signal: string;
  on: boolean;
  detail: string;
}

/** The children's pino JSON, one readable line each (terminals only; pipes and files keep JSON). */
function prettyLines(stream: Readable | null, debug: boolean): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => {
    const out = formatLogLine(line, { color: true, debug });
    if (out !== null) process.stdout.write(out + '\n');
  });
}

function log(msg: string): void {
  console.log(`[heimdex] ${msg}`);
}

async function waitForReady(url: string, timeoutMs: number, cancelled: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline && !cancelled()) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = await res.text();
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!cancelled()) throw new Error(`the api did not become ready: ${last}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
