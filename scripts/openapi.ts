/**
 * `npm run openapi`: writes openapi.json from the running code (in-memory database, no network).
 * The committed file lets reviewers see API changes; a test fails when it is stale.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiJson } from './openapi-generate';

generateOpenApiJson()
  .then((json) => {
    writeFileSync(join(__dirname, '..', '..', 'openapi.json'), json);
    console.log('wrote openapi.json');
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
