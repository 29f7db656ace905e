import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder above this file whose package.json is Heimdex's. */
export function findProjectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
      if (name === 'heimdex') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Heimdex's package.json not found above ${from}`);
    dir = parent;
  }
}
