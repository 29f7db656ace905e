import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { QueueName } from '@heimdex/queue';
import { ConfigError, loadConfig } from '@heimdex/config';
import { createWorkerApp } from './create-worker-app';
import { setHeapGrowth } from './heap-growth';
import { ModelEngines } from './models/model-engines';

async function main(): Promise<void> {
  setHeapGrowth();
  const config = loadConfig();
  if (!config.database.url) {
    throw new ConfigError([
      'DATABASE_URL: is not set. `npm start` serves an embedded database and sets it; to run the worker alone, point it at Postgres with pgvector',
    ]);
  }
  const app = await createWorkerApp(config);
  await app.init();
  new Logger('Worker').log(`worker ready: consuming ${Object.values(QueueName).join(', ')}`);
  // Under `npm start` the launcher waits for this before it says "ready" and lists the signals.
  process.send?.({ type: 'heimdex:worker-ready', signals: app.get(ModelEngines).summary() });
  const hardStop = () => setTimeout(() => process.exit(1), config.worker.shutdownTimeoutMs).unref();
  process.once('SIGTERM', hardStop);
  process.once('SIGINT', hardStop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
