import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@heimdex/config';
import { createObjectStorage } from '@heimdex/storage';
import { Logger } from 'nestjs-pino';
import { tmpdir } from 'node:os';
import { removeAbandonedWorkDirs } from './pipeline/stage-work-dirs';
import { WorkerModule } from './worker.module';

/** The worker: a Nest application context (no HTTP) consuming the BullMQ queues. */
export async function createWorkerApp(config: AppConfig): Promise<INestApplicationContext> {
  const storage = createObjectStorage(config.storage, config.publicUrl);
  await storage.ensureBucket();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, storage), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const removed = await removeAbandonedWorkDirs(tmpdir(), new Date(Date.now() - process.uptime() * 1000));
  if (removed.length) app.get(Logger).log(`removed ${removed.length} scratch folder(s) left by killed stages: ${removed.join(', ')}`, 'Worker');
  app.enableShutdownHooks();
  return app;
}
