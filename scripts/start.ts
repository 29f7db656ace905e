/**
 * `npm start`: runs the api and the worker. With no DATABASE_URL it serves an embedded Postgres
 * (PGlite + pgvector) to both; with no S3_ENDPOINT they use the embedded local-disk storage.
 */
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '@heimdex/config';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import { assertRedisReachable, EmbeddedPostgres, startEmbeddedPostgres } from '@heimdex/embedded';
import { ChildProcess, fork } from 'node:child_process';
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
  const children = new Map<string, ChildProcess>([
    ['api', fork(join(__dirname, '..', 'apps', 'api', 'src', 'main.js'), [], { env })],
    ['worker', fork(join(__dirname, '..', 'apps', 'worker', 'src', 'main.js'), [], { env })],
  ]);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping api and worker...');
    await Promise.all([...children.values()].map((c) => terminate(c, config.worker.shutdownTimeoutMs + 5000)));
    await embedded?.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const [name, child] of children) {
    child.on('exit', (code) => {
      if (!stopping) {
        log(`${name} exited unexpectedly (code ${code})`);
        void stop(1);
      }
    });
  }

  const base = `http://127.0.0.1:${config.port}`;
  await waitForReady(`${base}/health/ready`, 120_000, () => stopping);
  const publicBase = config.publicUrl;
  const lines = [
    '',
    `Heimdex is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  Console  ${publicBase}/${config.auth.supabaseUrl ? '' : '   (sign in with the dev token below)'}`,
    `  API      ${publicBase}/v1`,
    `  Docs     ${publicBase}/docs   (OpenAPI: ${publicBase}/docs-json)`,
    `  Health   ${publicBase}/health/ready`,
    `  Storage  ${config.storage.driver === 'local' ? `embedded, files in ${config.storage.root}` : config.storage.endpoint}`,
    `  Database ${embedded ? 'embedded PGlite in ' + join(config.dataDir, 'pglite') : 'DATABASE_URL'}`,
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

function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
