import { parse } from 'dotenv';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Heimdex reads exactly one env file: `<root>/.env` (or HEIMDEX_ENV_FILE). Seed 004 lost a day
 * to a second .env silently winning, so any other .env inside the project is an error, not a
 * choice. Variables already set in the process environment override the file.
 */
export function readEnvFile(rootDir: string, processEnv: NodeJS.ProcessEnv): { path: string | null; values: Record<string, string> } {
  const chosen = processEnv.HEIMDEX_ENV_FILE ? resolve(rootDir, processEnv.HEIMDEX_ENV_FILE) : join(rootDir, '.env');
  const strays = findStrayEnvFiles(rootDir, chosen);
  if (strays.length > 0) {
    throw new Error(
      `Refusing to start: found ${strays.map((s) => relative(rootDir, s)).join(', ')}. ` +
        `Heimdex reads only ${relative(rootDir, chosen) || chosen}; merge the values there and delete the others.`,
    );
  }
  if (!existsSync(chosen)) {
    if (processEnv.HEIMDEX_ENV_FILE) throw new Error(`HEIMDEX_ENV_FILE points at ${chosen}, which does not exist`);
    return { path: null, values: {} };
  }
  return { path: chosen, values: parse(readFileSync(chosen)) };
}

/** `.env` or `.env.<anything>` files, except `.env.example`, in the root and the app/lib folders. */
function findStrayEnvFiles(rootDir: string, chosen: string): string[] {
  const dirs = [rootDir];
  for (const group of ['apps', 'libs']) {
    const base = join(rootDir, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(join(base, entry.name), join(base, entry.name, 'src'));
    }
  }
  const found: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!/^\.env(\..+)?$/.test(name) || name === '.env.example') continue;
      const full = join(dir, name);
      if (full !== chosen) found.push(full);
    }
  }
  return found;
}
