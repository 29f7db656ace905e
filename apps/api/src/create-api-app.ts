import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@heimdex/config';
import { createObjectStorage } from '@heimdex/storage';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { HttpAuditRecorder } from './audit/http-audit-recorder';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** Builds the API exactly as production runs it; main.ts and the integration tests both use this. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const storage = createObjectStorage(config.storage, config.publicUrl);
  await storage.ensureBucket();
  // rawBody: webhook signatures are computed over the exact bytes received.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, storage), { bufferLogs: true, abortOnError: false, rawBody: true });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.useBodyParser('json', { limit: '1mb' });
  // Caption files (PUT /v1/videos/:id/captions).
  app.useBodyParser('text', { type: ['text/vtt', 'application/x-subrip'], limit: '2mb' });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }));
  app.useGlobalFilters(new HttpExceptionFilter(app.get(HttpAuditRecorder)));
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return app;
}
