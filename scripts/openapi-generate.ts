import { loadConfig } from '@heimdex/config';
import { startEmbeddedPostgres } from '@heimdex/embedded';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiApp } from '../apps/api/src/create-api-app';
import { buildOpenApiDocument } from '../apps/api/src/openapi/openapi-document';

/** The OpenAPI document as stable, pretty JSON (built against a throwaway embedded database). */
export async function generateOpenApiJson(): Promise<string> {
  const pg = await startEmbeddedPostgres({});
  const root = mkdtempSync(join(tmpdir(), 'heimdex-openapi-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({ rootDir: root, env: { DATABASE_URL: pg.url, LOG_LEVEL: 'silent', SUPABASE_JWT_SECRET: 'x'.repeat(32) } });
  const app = await createApiApp(config);
  try {
    await app.init();
    return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
    await pg.stop();
  }
}
