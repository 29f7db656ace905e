#!/usr/bin/env node
/**
 * The README's commands go through here so that they work on a fresh clone: install the
 * dependencies when package-lock.json changed since the last install, build when needed,
 * then run the real command. Plain JavaScript with no dependencies, on purpose.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: opts.stdio ?? 'inherit', env: process.env });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

function ensureInstalled() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const hash = createHash('sha256')
    .update(lock)
    .update(readFileSync(join(root, 'package.json')))
    .digest('hex');
  const stamp = join(root, 'node_modules', '.heimdex-install');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  console.error('[heimdex] installing dependencies (npm install)...');
  // `npm ci` is not used: the lockfile lacks some foreign-platform optional packages the registry here does not serve.
  run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: ['ignore', process.stderr, 'inherit'] });
  writeFileSync(stamp, hash);
}

/**
 * What `build()` runs, in order. A step runs only when one of its inputs (files and folders,
 * walked recursively; tests excluded) changed after its stamp was written, so a warm start
 * does not compile anything. Add a step for another build (e.g. the web console) here.
 */
const BUILD_STEPS = [
  {
    name: 'server (tsc + tsc-alias into dist/)',
    // Not apps/web: the console has its own build (build-web.js), whose output and generated types
    // land there, as do the browser tests' results; none of them is compiled into dist/.
    inputs: ['apps/api', 'apps/worker', 'libs', 'migrations', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    stamp: 'dist/.heimdex-build-server',
    run() {
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const alias = join(root, 'node_modules', 'tsc-alias', 'dist', 'bin', 'index.js');
      run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: ['ignore', process.stderr, 'inherit'] });
      run(process.execPath, [alias, '-p', 'tsconfig.build.json'], { stdio: ['ignore', process.stderr, 'inherit'] });
    },
  },
];

const IGNORED = /(^|\/)(node_modules|dist|\.data|coverage)$|\.(spec|e2e-spec)\.ts$/;

/** Latest modification time (ms) under `path`; folders count too, so a deleted file shows. */
function newestMtime(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  let newest = st.mtimeMs;
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      if (!IGNORED.test(child)) newest = Math.max(newest, newestMtime(child));
    }
  }
  return newest;
}

/** Whether `step` must run in the checkout at `base`: never built, or an input changed after its stamp. */
function needsBuild(step, base = root) {
  const stamp = join(base, step.stamp);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return step.inputs.some((input) => newestMtime(join(base, input)) > built);
}

function build() {
  for (const step of BUILD_STEPS) {
    if (!needsBuild(step)) continue;
    const stamp = join(root, step.stamp);
    if (existsSync(stamp)) console.error(`[heimdex] building ${step.name}: sources changed`);
    const startedAt = Date.now();
    step.run();
    // The stamp carries the time the build started: a file saved during the build rebuilds next time.
    writeFileSync(stamp, new Date(startedAt).toISOString());
    const t = new Date(startedAt);
    utimesSync(stamp, t, t);
  }
}

/** Runs a command, forwarding Ctrl-C / SIGTERM to it; resolves with its exit code. */
function child(args) {
  const c = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  const forward = (sig) => c.kill(sig);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, forward);
  return new Promise((resolve) => c.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** Runs the final command and exits with its code. */
function exec(args) {
  child(args).then((code) => process.exit(code));
}

/** The browser tests (apps/web/e2e, Playwright with Debian's chromium) against the built api, worker and console. */
function browserTests() {
  build();
  require('./build-web').buildWeb();
  return child([join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', join('apps', 'web', 'playwright.config.ts')]);
}

// Required by its unit test (bootstrap.spec.ts) for the build decision; run as the README's commands.
module.exports = { BUILD_STEPS, needsBuild, newestMtime };
if (require.main === module) main(process.argv.slice(2));

function main([command, ...rest]) {
  // The Docker image is installed and built at image build time (no dev dependencies, no tsc).
  const prebuilt = process.env.HEIMDEX_PREBUILT === '1';
  if (!prebuilt) ensureInstalled();
  switch (command) {
    case 'install':
      break;
    case 'start':
      if (!prebuilt) {
        build();
        require('./build-web').buildWeb();
      }
      exec([join(root, 'dist', 'scripts', 'start.js'), ...rest]);
      break;
    case 'test':
      // Built first (the browser tests and the npm start test need it anyway): the worker processes and
      // engine threads the tests start run this build of the sources instead of each loading TypeScript.
      if (!prebuilt) {
        build();
        process.env.HEIMDEX_FRESH_BUILD = join(root, 'dist');
      }
      // PGlite loads its WASM through a dynamic import(), which Jest's VM allows only with this flag.
      // With no arguments the browser tests run after jest; with some (test files), jest alone.
      child(['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...rest]).then(
        async (jest) => {
          const browser = rest.length ? 0 : await browserTests();
          process.exit(jest || browser);
        },
      );
      break;
    case 'test:browser':
      browserTests().then((code) => process.exit(code));
      break;
    case 'script':
      if (!prebuilt) build();
      exec([join(root, 'dist', 'scripts', `${rest[0]}.js`), ...rest.slice(1)]);
      break;
    default:
      console.error('usage: bootstrap.js install|start|test|test:browser|script <name> [args]');
      process.exit(2);
  }
}
