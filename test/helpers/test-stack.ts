import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@heimdex/config';
import { createServer } from 'node:net';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { createTestDatabase, TestDatabase } from './test-database';
import { testConfig } from './test-config';

export interface TestStack {
  config: AppConfig;
  db: TestDatabase;
  api: INestApplication;
  worker: INestApplicationContext | null;
  /** http://127.0.0.1:<port>, the API's real listening address. */
  baseUrl: string;
  close(): Promise<void>;
}

/** The real api (listening on a free port), optionally the real worker, on a fresh database. */
export async function startTestStack(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const port = await freePort();
  const config = testConfig({ DATABASE_URL: db.url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...opts.env });
  const api = await createApiApp(config);
  await api.listen(port, '127.0.0.1');
  const worker = opts.worker ? await createWorkerApp(config) : null;
  await worker?.init();
  return {
    config,
    db,
    api,
    worker,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await timed('worker.close', () => worker?.close(), db);
      await timed('api.close', () => api.close(), db);
      await timed('db.drop', () => db.drop(), db);
    },
  };
}

/** Teardown steps that hang are named in the output instead of a bare hook timeout. */
async function timed(step: string, fn: () => Promise<void> | undefined, db: TestDatabase): Promise<void> {
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
