import { loadConfig, type AppConfig } from '@heimdex/config';
import { startEmbeddedPostgres } from '@heimdex/embedded';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { mintDevToken } from '../dev-token';
import { freePort } from '../free-port';

/** The real API and worker on embedded PGlite and local storage, for sets that index through the pipeline. */
export interface PipelineStack {
  baseUrl: string;
  token(sub: string): Promise<string>;
  close(): Promise<void>;
}

export async function startPipelineStack(base: AppConfig, env: Record<string, string>): Promise<PipelineStack> {
  const pg = await startEmbeddedPostgres({});
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'heimdex-real-eval-stack-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({
    rootDir: root,
    env: {
      ...process.env,
      SUPABASE_JWT_SECRET: 'eval-secret-that-is-long-enough-0123456789',
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_MS: '200',
      FACES_ENABLED: 'false',
      MODEL_DIR: base.modelDir,
      ...env,
      DATABASE_URL: pg.url,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      QUEUE_PREFIX: `heimdex-real-eval-${Date.now()}`,
    },
  });
  const api = await createApiApp(config);
  await api.listen(port, '127.0.0.1');
  const worker = await createWorkerApp(config);
  await worker.init();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    token: (sub) => mintDevToken(config, { sub, tier: 'pro' }),
    close: async () => {
      await worker.close();
      await api.close();
      await pg.stop();
    },
  };
}
