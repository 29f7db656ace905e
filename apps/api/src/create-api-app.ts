import { Logger as NestLogger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@heimdex/config';
import { createObjectStorage } from '@heimdex/storage';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { HttpAuditRecorder } from './audit/http-audit-recorder';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { bodyParsers } from './http/body-parsers';
import { RejectNulPipe } from './http/reject-nul.pipe';
import { applyServerTimeouts, slowBodyGuard } from './http/slow-body-guard';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { serveConsole } from './web/console-static';

/** Builds the API exactly as production runs it; main.ts and the integration tests both use this. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const storage = createObjectStorage(config.storage, config.publicUrl);
  await storage.ensureBucket();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, storage), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  applyServerTimeouts(app.getHttpServer(), config.http);
  const slowBodies = new NestLogger('SlowBody');
  app.use(slowBodyGuard(config.http, (req) => slowBodies.warn(`cut off ${req.method} ${req.path}: body slower than ${config.http.bodyMinBytesPerS} B/s`)));
  app.use(bodyParsers(config.http));
  app.useGlobalPipes(new RejectNulPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }));
  app.useGlobalFilters(new HttpExceptionFilter(app.get(HttpAuditRecorder)));
  app.enableShutdownHooks();
  serveConsole(app, config);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return app;
}
