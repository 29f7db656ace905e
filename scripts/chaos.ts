/**
 * `npm run chaos [-- --videos 6 --deadline-s 900]`: faults against a real stack. Starts its own
 * Redis (`redis-server` on a free port, no persistence, so a restart loses every queue) and the
 * `npm start` launcher (api + worker, embedded Postgres and storage in a fresh data dir, its own
 * port), submits a batch of generated videos, restarts Redis mid-batch, SIGKILLs the worker
 * mid-stage, submits a decode bomb, then prints how many videos ended indexed, failed (with
 * reasons) or stuck. Exit code 1 when any is stuck.
 */
import { resolveFfmpegBinaries } from '@heimdex/media';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { videos: { type: 'string', default: '6' }, 'deadline-s': { type: 'string', default: '900' } } });
const dir = mkdtempSync(join(tmpdir(), 'heimdex-chaos-'));
const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
const log = (m: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${m}`);

async function main(): Promise<void> {
  const [redisPort, apiPort] = [await freePort(), await freePort()];
  let redis = startRedis(redisPort);
  await waitFor(() => redisAnswers(redisPort), 10_000, 'redis');
  let output = '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    DATA_DIR: join(dir, 'data'),
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    QUEUE_PREFIX: `chaos${apiPort}`,
    // The bomb below costs 0.55 gigapixels; the batch's videos cost 0.1 each.
    MAX_DECODE_PIXELS: String(5e8),
    LOG_LEVEL: 'warn',
  };
  for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'SUPABASE_JWT_SECRET', 'SUPABASE_URL', 'SUPABASE_JWKS_URL']) delete env[k];
  const stack = spawn(process.execPath, [join(__dirname, 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  stack.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  stack.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${apiPort}`;
  try {
    await waitFor(async () => output.includes('Heimdex is ready'), 300_000, 'the stack');
    const token = /Dev admin token[^\n]*\n(\S+)/.exec(output)![1];
    log(`stack ready on ${base}, redis on ${redisPort}, data in ${dir}`);

    const ids: string[] = [];
    const count = Number(values.videos);
    for (let i = 0; i < count; i++) ids.push(await upload(base, token, makeVideo(i)));
    log(`submitted ${count} videos`);

    await waitFor(async () => (await states(base, token, ids)).some((v) => v.state === 'processing'), 120_000, 'a video to be processing');
    log('restarting Redis without persistence (every queue is lost)');
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 2000));
    redis = startRedis(redisPort);
    await waitFor(() => redisAnswers(redisPort), 10_000, 'redis again');

    const workerPid = () => Number([...output.matchAll(/worker started \(pid (\d+)\)/g)].pop()?.[1]);
    await waitFor(async () => (await states(base, token, ids)).some((v) => v.stages.some((s) => s.state === 'running')), 120_000, 'a running stage');
    log(`SIGKILL worker ${workerPid()} mid-stage`);
    process.kill(workerPid(), 'SIGKILL');

    ids.push(await retrying(() => upload(base, token, makeBomb())));
    log('submitted a decode bomb (1280x720, 600 frames at 1 fps)');

    const deadline = Date.now() + Number(values['deadline-s']) * 1000;
    let last = await states(base, token, ids);
    while (Date.now() < deadline && last.some((v) => !['indexed', 'failed'].includes(v.state))) {
      await new Promise((r) => setTimeout(r, 5000));
      last = await retrying(() => states(base, token, ids));
    }
    const indexed = last.filter((v) => v.state === 'indexed');
    const failed = last.filter((v) => v.state === 'failed');
    const stuck = last.filter((v) => !['indexed', 'failed'].includes(v.state));
    console.log(`\nindexed ${indexed.length}, failed ${failed.length}, stuck ${stuck.length} (of ${ids.length})`);
    for (const v of failed) console.log(`  failed ${v.id}: ${v.error}`);
    for (const v of stuck) console.log(`  stuck  ${v.id}: ${v.state}; ${v.stages.map((s) => `${s.stage}=${s.state}`).join(' ')}`);
    const restarts = output.split('\n').filter((l) => /exited unexpectedly|crash loop/.test(l));
    console.log(`launcher: ${restarts.length ? `\n  ${restarts.join('\n  ')}` : 'no restarts'}`);
    process.exitCode = stuck.length ? 1 : 0;
  } finally {
    stack.kill('SIGINT');
    await new Promise((r) => stack.once('exit', r));
    redis.kill('SIGKILL');
  }
}

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

async function redisAnswers(port: number): Promise<boolean> {
  try {
    return execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG';
  } catch {
    return false;
  }
}

function ffmpeg(args: string[], name: string): string {
  const out = join(dir, name);
  execFileSync(bins.ffmpeg, ['-y', '-v', 'error', ...args, out]);
  return out;
}

/** 20 s of three shots with motion, on-screen text and a tone: every stage has something to do. */
function makeVideo(i: number): string {
  const inputs = ['testsrc2', 'smptebars', 'mandelbrot'].flatMap((src, k) => ['-f', 'lavfi', '-t', String([7, 6, 7][k]), '-i', `${src}=size=640x360:rate=25`]);
  const graph = `[0:v][1:v][2:v]concat=n=3:v=1[c];[c]format=yuv420p,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text='CHAOS ${i}':fontsize=40:fontcolor=white:x=20:y=20[v]`;
  return ffmpeg(
    [...inputs, '-f', 'lavfi', '-i', `sine=frequency=${300 + i * 40}:duration=20`, '-filter_complex', graph, '-map', '[v]', '-map', '3:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest'],
    `video-${i}.mp4`,
  );
}

function makeBomb(): string {
  return ffmpeg(['-f', 'lavfi', '-i', 'color=c=black:s=1280x720:r=1:d=600', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'], 'bomb.mp4');
}

async function upload(base: string, token: string, file: string): Promise<string> {
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const created = (await (
    await fetch(`${base}/v1/videos`, { method: 'POST', headers: auth, body: JSON.stringify({ filename: file.split('/').pop(), contentType: 'video/mp4', sizeBytes: statSync(file).size }) })
  ).json()) as { video: { id: string }; upload: { url: string; headers: Record<string, string> } };
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: readFileSync(file) });
  if (!put.ok) throw new Error(`upload failed: ${put.status}`);
  const done = await fetch(`${base}/v1/videos/${created.video.id}/complete`, { method: 'POST', headers: auth });
  if (done.status !== 202) throw new Error(`complete failed: ${done.status}`);
  return created.video.id;
}

interface VideoState {
  id: string;
  state: string;
  error: string | null;
  stages: { stage: string; state: string }[];
}

async function states(base: string, token: string, ids: string[]): Promise<VideoState[]> {
  return Promise.all(ids.map(async (id) => (await (await fetch(`${base}/v1/videos/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as VideoState));
}

/** The api may be restarting (its launcher restarts it after a crash): retry for a minute. */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
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

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
