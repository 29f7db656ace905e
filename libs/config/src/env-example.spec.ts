import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from './config.schema';
import { findProjectRoot } from './project-root';

describe('.env.example', () => {
  it('documents every variable the schema reads, and nothing else', () => {
    const text = readFileSync(join(findProjectRoot(), '.env.example'), 'utf8');
    const documented = [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(envSchema.shape).sort());
  });
});
