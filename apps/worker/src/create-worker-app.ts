import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@heimdex/config';
import { createObjectStorage } from '@heimdex/storage';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/** The worker: a Nest application context (no HTTP) consuming the BullMQ queues. */
export async function createWorkerApp(config: AppConfig): Promise<INestApplicationContext> {
  const storage = createObjectStorage(config.storage, config.publicUrl);
  await storage.ensureBucket();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, storage), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
