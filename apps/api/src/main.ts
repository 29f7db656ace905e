import 'reflect-metadata';
import { ConfigError, loadConfig } from '@heimdex/config';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.database.url) {
    throw new ConfigError([
      'DATABASE_URL: is not set. `npm start` serves an embedded database and sets it; to run the api alone, point it at Postgres with pgvector',
    ]);
  }
  const app = await createApiApp(config);
  const hardStop = () => setTimeout(() => process.exit(1), config.worker.shutdownTimeoutMs).unref();
  process.once('SIGTERM', hardStop);
  process.once('SIGINT', hardStop);
  await app.listen(config.port, config.host);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
