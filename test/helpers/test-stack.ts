import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@heimdex/config';
import { createServer } from 'node:net';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { testConfig } from './test-config';
import { TestResources, trackStart } from './test-resources';

export interface TestStack {
  config: AppConfig;
  db: TestDatabase;
  api: INestApplication;
  worker: INestApplicationContext | null;
  /** http://127.0.0.1:<port>, the API's real listening address. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real api (listening on a free port), optionally the real worker, on a fresh database.
 * Everything it makes is owned by the test file (test-resources.ts): closed at the file's end even
 * when a timed-out `beforeAll` abandoned this start half-way, and never left running after it.
 */
export function startTestStack(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<TestStack> {
  return trackStart(buildTestStack(opts, new TestResources('startTestStack')));
}

async function buildTestStack(opts: { worker?: boolean; env?: Record<string, string> }, owned: TestResources): Promise<TestStack> {
  try {
    const db = await owned.own('database', createTestDatabase(), (d) => timed('db.drop', () => d.drop(), d));
    const port = await freePort();
    const config = testConfig({ DATABASE_URL: db.url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...opts.env });
    const api = await owned.own('api', createApiApp(config), (a) => timed('api.close', () => a.close(), db));
    await api.listen(port, '127.0.0.1');
    owned.assertLive();
    const worker = opts.worker ? await owned.own('worker', createWorkerApp(config), (w) => timed('worker.close', () => w.close(), db)) : null;
    // init starts the queue consumers: only for a start whose file is still running.
    await worker?.init();
    owned.assertLive();
    return { config, db, api, worker, baseUrl: `http://127.0.0.1:${port}`, close: () => owned.close() };
  } catch (err) {
    await owned.close();
    throw err;
  }
}

/** Teardown steps that hang are named in the output instead of a bare hook timeout. */
async function timed(step: string, fn: () => Promise<void>, db: TestDatabase): Promise<void> {
  const t0 = Date.now();
  const warn = setInterval(() => console.warn(`${step} still running after ${Math.round((Date.now() - t0) / 1000)} s; database: ${db.describe()}`), 10_000);
  try {
    await fn();
  } finally {
    clearInterval(warn);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export { eventually, FatalCheckError } from '../../scripts/lib/eventually';
