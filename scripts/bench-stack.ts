/** What the pipeline benchmarks share: a generated realistic video, a free port, the worker in its own process. */
import * as configLib from '@heimdex/config';
import * as embeddedLib from '@heimdex/embedded';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as apiApp from '../apps/api/src/create-api-app';
import * as devToken from './dev-token';
import { freePort } from './free-port';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const WORDS = ['budget', 'meeting', 'review', 'planning', 'design', 'product', 'launch', 'market', 'sales', 'quarter', 'team', 'growth'];

export function generateVideo(dir: string, minutes: number, cuts: number, speech: boolean): string {
  const ffmpeg = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
  const total = minutes * 60;
  // Shot lengths vary around the mean (deterministic), summing to the total.
  const weights = Array.from({ length: cuts + 1 }, (_, i) => 0.5 + ((i * 7919) % 100) / 100);
  const sum = weights.reduce((a, b) => a + b, 0);
  const lengths = weights.map((w) => Math.round((w / sum) * total * 25) / 25);
  lengths[lengths.length - 1] = Math.round((total - lengths.slice(0, -1).reduce((a, b) => a + b, 0)) * 25) / 25;
  const sources = lengths.map((len, i) => {
    const color = `0x${(((i * 2654435761) >>> 8) & 0xffffff).toString(16).padStart(6, '0')}`;
    const text =
      i % 2
        ? `,drawtext=fontfile=${FONT}:text='${WORDS[i % WORDS.length].toUpperCase()} ${i}':fontcolor=white:fontsize=64:x=(w-text_w)/2:y=(h-text_h)/2:box=1:boxcolor=black@0.6`
        : '';
    return `color=c=${color}:s=1280x720:r=25:d=${len}${text}`;
  });
  const filter = `${sources.map((s, i) => `${s}[v${i}]`).join(';')};${sources.map((_, i) => `[v${i}]`).join('')}concat=n=${sources.length}:v=1:a=0[v]`;
  writeFileSync(join(dir, 'graph.txt'), filter);
  let audio = ['-f', 'lavfi', '-i', `sine=frequency=220:duration=${total}`];
  if (speech) {
    const lines = Array.from({ length: Math.floor(total / 10) }, (_, i) => `${WORDS[i % WORDS.length]} ${WORDS[(i * 5) % WORDS.length]} update number ${i}.`);
    const wav = join(dir, 'speech.wav');
    execFileSync('espeak-ng', ['-w', wav, '-s', '150', lines.join(' ... ... ')]);
    audio = ['-stream_loop', '-1', '-i', wav];
  }
  const out = join(dir, `bench-${minutes}min-${cuts}cuts.mp4`);
  execFileSync(ffmpeg, [
    '-y',
    '-v',
    'error',
    '-filter_complex_script',
    join(dir, 'graph.txt'),
    ...audio,
    '-map',
    '[v]',
    '-map',
    '0:a',
    '-t',
    String(total),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-ar',
    '44100',
    '-movflags',
    '+faststart',
    out,
  ]);
  return out;
}

export function speechAvailable(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** The worker in its own process, once it consumes; `output` is all it has printed to stdout so far. */
export function startWorker(env: NodeJS.ProcessEnv, codeRoot?: string): Promise<{ child: ChildProcess; output: () => string }> {
  const built = codeRoot ? join(codeRoot, 'dist') : join(__dirname, '..');
  const child = fork(join(built, 'apps', 'worker', 'src', 'main.js'), [], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      const ready = /worker ready: consuming/.test(output);
      output += d.toString();
      if (!ready && /worker ready: consuming/.test(output)) resolve({ child, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}

export interface BenchStack {
  base: string;
  /** Headers of a pro-tier user's requests. */
  auth: Record<string, string>;
  worker: ChildProcess;
  /** Everything the worker has printed to stdout so far (its log lines). */
  workerOutput(): string;
  stop(): Promise<void>;
}

/** This checkout's module, or the same module of the build in `codeRoot` (another commit's checkout, built into its dist/). */
async function moduleOf<T>(codeRoot: string | undefined, builtPath: string, own: T): Promise<T> {
  return codeRoot ? ((await import(join(codeRoot, 'dist', builtPath))) as T) : own;
}

/**
 * Embedded PGlite, local storage, the API in this process and the worker in its own (with
 * `workerEnv` added). With `codeRoot`, the API, worker, config and database come from that
 * checkout's build instead (bench:pipeline --compare-ref runs an older commit this way).
 */
export async function startBenchStack(workerEnv: Record<string, string> = {}, codeRoot?: string): Promise<BenchStack> {
  const { loadConfig } = await moduleOf(codeRoot, 'libs/config/src', configLib);
  const { startEmbeddedPostgres } = await moduleOf(codeRoot, 'libs/embedded/src', embeddedLib);
  const { createApiApp } = await moduleOf(codeRoot, 'apps/api/src/create-api-app', apiApp);
  const { mintDevToken } = await moduleOf(codeRoot, 'scripts/dev-token', devToken);
  const pg = await startEmbeddedPostgres({});
  const root = mkdtempSync(join(tmpdir(), 'heimdex-bench-root-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: pg.url,
    DATA_DIR: join(root, '.data'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    SUPABASE_JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    QUEUE_PREFIX: `heimdex-bench-${Date.now()}`,
    OUTBOX_POLL_MS: '200',
  };
  const config = loadConfig({ rootDir: root, env: { ...process.env, ...env, LOG_LEVEL: 'warn' } });
  const api = await createApiApp(config);
  await api.listen(port, '127.0.0.1');
  const { child: worker, output } = await startWorker({ ...process.env, ...env, ...workerEnv }, codeRoot);
  const token = await mintDevToken(config, { sub: '00000000-0000-4000-8000-0000000000bf', tier: 'pro' });
  return {
    base: `http://127.0.0.1:${port}`,
    auth: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    worker,
    workerOutput: output,
    async stop() {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
      await api.close();
      await pg.stop();
    },
  };
}
