import type { AppConfig } from '@heimdex/config';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestResources } from './test-resources';
import { eventually, FatalCheckError } from './test-stack';

const root = join(__dirname, '..', '..');

/**
 * The real worker in its own process (built from the sources: workerEntry), configured like the test
 * stack's: same database, Redis prefix, data dir and storage. Killing it is a real crash.
 */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  output = '';
  /** A worker left running by a failed or forgotten stop is killed when the test file ends. */
  private readonly owned = new TestResources('WorkerProcess');

  constructor(
    private readonly config: AppConfig,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: this.config.database.url!,
      REDIS_URL: this.config.redis.url,
      QUEUE_PREFIX: this.config.redis.prefix,
      DATA_DIR: this.config.dataDir,
      SUPABASE_JWT_SECRET: this.config.auth.jwtSecret!,
      TS_NODE_PROJECT: join(root, 'tsconfig.json'),
      TS_NODE_TRANSPILE_ONLY: 'true',
    };
    this.output = '';
    const child = spawn(process.execPath, workerEntry(), {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.owned.onClose('worker process', () => this.kill());
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new FatalCheckError(`worker exited with ${child.exitCode}:\n${this.output}`);
        return /worker ready: consuming/.test(this.output) ? true : undefined;
      },
      90_000,
      200,
    );
  }

  /** SIGKILL: no shutdown hooks, locks left held, work half done. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * The worker's entry: the build of these sources that `npm test` made just before it started jest
 * (scripts/bootstrap.js names it in HEIMDEX_FRESH_BUILD), else the TypeScript sources through ts-node,
 * which loads TypeScript and transpiles the whole worker on every start.
 */
function workerEntry(): string[] {
  const build = process.env.HEIMDEX_FRESH_BUILD;
  const built = build && join(build, 'apps', 'worker', 'src', 'main.js');
  if (built && existsSync(built)) return [built];
  return ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', join(root, 'apps', 'worker', 'src', 'main.ts')];
}

/** A child killed by a signal has no exit code, only a signal code; waiting for its 'exit' again would wait forever. */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
