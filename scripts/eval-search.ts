/**
 * `npm run eval:search [-- --videos 4]`
 * Search quality on a generated corpus (scripts/search-eval): videos with known on-screen text
 * (ffmpeg drawtext), spoken phrases (espeak-ng, where installed) and titles, indexed through the
 * real worker pipeline on embedded PGlite, then a query set with ground truth. Prints recall@1,
 * recall@5 and MRR per signal (alone) and fused. Models come from MODEL_DIR as in production: with
 * none installed, the semantic signals are reported as skipped. test/search/search-eval.e2e-spec.ts
 * runs the same at a small size with floors.
 */
import 'reflect-metadata';
import { loadConfig } from '@heimdex/config';
import { startEmbeddedPostgres } from '@heimdex/embedded';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiApp } from '../apps/api/src/create-api-app';
import { createWorkerApp } from '../apps/worker/src/create-worker-app';
import { mintDevToken } from './dev-token';
import { freePort } from './free-port';
import { CORPUS } from './search-eval/corpus';
import { formatEvalReport, runSearchEval } from './search-eval/run-eval';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { videos: { type: 'string', default: String(CORPUS.length) } } });
  const pg = await startEmbeddedPostgres({});
  // Upload URLs are signed for PUBLIC_URL, so the port is chosen before the config is made.
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'heimdex-eval-search-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({
    rootDir: root,
    env: {
      ...process.env,
      DATABASE_URL: pg.url,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      SUPABASE_JWT_SECRET: 'eval-secret-that-is-long-enough-0123456789',
      QUEUE_PREFIX: `heimdex-eval-${Date.now()}`,
      OUTBOX_POLL_MS: '200',
      FACES_ENABLED: 'false',
    },
  });
  const api = await createApiApp(config);
  await api.listen(port, '127.0.0.1');
  const worker = await createWorkerApp(config);
  await worker.init();
  try {
    const token = await mintDevToken(config, { sub: '00000000-0000-4000-8000-00000000e7a1', tier: 'pro' });
    const t0 = Date.now();
    const report = await runSearchEval({
      baseUrl: `http://127.0.0.1:${port}`,
      token,
      workDir: join(root, 'corpus'),
      videos: Number(values.videos),
      log: (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${m}`),
    });
    console.log(
      `\n${values.videos} videos, models from ${config.modelDir}; speech ${report.speech ? 'espeak-ng + the pipeline ASR' : 'not installed (silent videos)'}\n`,
    );
    console.log(formatEvalReport(report));
  } finally {
    await worker.close();
    await api.close();
    await pg.stop();
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
