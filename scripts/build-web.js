#!/usr/bin/env node
/**
 * Builds the web console (apps/web) when its sources or openapi.json changed since the last
 * build: the typed client is generated from the committed openapi.json, the console is
 * type-checked against it (an API change breaks this build, not the console's users), then
 * bundled by Vite into apps/web/dist, which the API serves at `/`. Plain JavaScript, no
 * dependencies beyond the installed tools. `--force` rebuilds regardless.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const web = join(root, 'apps', 'web');
const stamp = join(web, 'dist', '.source-hash');
const GENERATED = join(web, 'src', 'api', 'schema.d.ts');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function sourceHash() {
  const inputs = [
    join(root, 'openapi.json'),
    join(web, 'index.html'),
    join(web, 'vite.config.mts'),
    join(web, 'tsconfig.json'),
    ...files(join(web, 'src')),
    ...files(join(web, 'public')),
  ];
  const hash = createHash('sha256');
  for (const f of inputs.filter((f) => f !== GENERATED).sort()) hash.update(relative(root, f)).update('\0').update(readFileSync(f));
  return hash.digest('hex');
}

function step(label, script, args) {
  const res = spawnSync(process.execPath, [join(root, 'node_modules', ...script), ...args], {
    cwd: root,
    stdio: ['ignore', process.stderr, 'inherit'],
    env: process.env,
  });
  if (res.status !== 0) {
    console.error(`[heimdex] web console: ${label} failed`);
    process.exit(res.status ?? 1);
  }
}

function buildWeb({ force = false } = {}) {
  const hash = sourceHash();
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  console.error('[heimdex] building the web console (apps/web)...');
  step('generating the API types', ['openapi-typescript', 'bin', 'cli.js'], ['openapi.json', '-o', relative(root, GENERATED), '--silent']);
  step('type check', ['typescript', 'bin', 'tsc'], ['-p', 'apps/web/tsconfig.json']);
  step('vite build', ['vite', 'bin', 'vite.js'], ['build', 'apps/web', '--logLevel', 'warn']);
  writeFileSync(stamp, hash);
}

module.exports = { buildWeb };
if (require.main === module) buildWeb({ force: process.argv.includes('--force') });
