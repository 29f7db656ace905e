import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentErrorResponses } from './openapi-errors';
import { addPropertyExamples } from './openapi-examples';

/** The OpenAPI document; `npm run openapi` writes it to openapi.json so API changes show in review. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Heimdex API')
    .setDescription('Self-hostable video indexing and search. Bearer tokens are Supabase access tokens (JWT).')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  return addPropertyExamples(documentErrorResponses(doc));
}
