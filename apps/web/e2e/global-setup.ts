import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChromium } from './browser';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Starts the real stack the way `npm start` does (dist/scripts/start.js: embedded PGlite, local
 * storage, api + worker), in a fresh data folder, on a free port, with its own queue prefix and
 * JWT secret; the tests mint tokens with that secret. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!hasChromium()) return async () => {};
  const dataDir = mkdtempSync(join(tmpdir(), 'heimdex-e2e-'));
  const port = await freePort();
  const secret = randomBytes(32).toString('base64url');
  const baseUrl = `http://127.0.0.1:${port}`;
  const stack = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'start.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      QUEUE_PREFIX: `e2e-${process.pid}`,
      SUPABASE_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      S3_ENDPOINT: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (process.env.HEIMDEX_E2E_VERBOSE) process.stderr.write(chunk);
  };
  stack.stdout!.on('data', keep);
  stack.stderr!.on('data', keep);
  try {
    await waitForReady(stack, `${baseUrl}/health/ready`, 240_000, () => output);
  } catch (err) {
    await stop(stack);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  process.env.HEIMDEX_E2E_URL = baseUrl;
  process.env.HEIMDEX_E2E_SECRET = secret;
  return async () => {
    await stop(stack);
    rmSync(dataDir, { recursive: true, force: true });
  };
}

async function waitForReady(stack: ChildProcess, url: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stack.exitCode !== null) throw new Error(`the stack exited (code ${stack.exitCode}) before it was ready:\n${output()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    // start.js prints its banner once both apps answer; /health/ready alone means the api is up.
    if (ok && output().includes('Heimdex is ready')) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the stack was not ready in ${timeoutMs / 1000} s:\n${output()}`);
}

function stop(stack: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (stack.exitCode !== null || stack.signalCode !== null) return resolve();
    const kill = setTimeout(() => stack.kill('SIGKILL'), 60_000);
    stack.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    stack.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
