/**
 * `npm run chaos [-- --videos 6 --deadline-s 900]`: faults against a real stack. Starts its own
 * Redis (`redis-server` on a free port, no persistence, so a restart loses every queue) and the
 * `npm start` launcher (api + worker, embedded Postgres and storage in a fresh data dir, its own
 * port), submits a batch of generated videos, restarts Redis mid-batch, SIGKILLs the worker
 * mid-stage, submits a decode bomb, then prints how many videos ended indexed, failed (with
 * reasons) or stuck. Exit code 1 when any is stuck.
 *
 * `--hosts 2` (root, `ip netns`) runs the scale-out check instead: scripts/chaos-hosts.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runHosts } from './chaos-hosts';
import { freePort } from './free-port';
import { chaosLog as log, makeBomb, makeVideo, redisAnswers, retrying, settle, startRedis, states, upload, waitFor } from './lib/chaos-kit';

const { values } = parseArgs({
  options: { videos: { type: 'string', default: '6' }, 'deadline-s': { type: 'string', default: '900' }, hosts: { type: 'string' } },
});
const dir = mkdtempSync(join(tmpdir(), 'heimdex-chaos-'));

async function main(): Promise<void> {
  if (values.hosts) {
    process.exitCode = (await runHosts({ hosts: Number(values.hosts), videos: Number(values.videos), deadlineS: Number(values['deadline-s']), dir })) ? 1 : 0;
    return;
  }
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
    for (let i = 0; i < count; i++) ids.push(await upload(base, token, makeVideo(dir, i)));
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

    ids.push(await retrying(() => upload(base, token, makeBomb(dir))));
    log('submitted a decode bomb (1280x720, 600 frames at 1 fps)');

    const stuck = await settle(base, token, ids, Number(values['deadline-s']));
    const restarts = output.split('\n').filter((l) => /exited unexpectedly|crash loop/.test(l));
    console.log(`launcher: ${restarts.length ? `\n  ${restarts.join('\n  ')}` : 'no restarts'}`);
    process.exitCode = stuck ? 1 : 0;
  } finally {
    stack.kill('SIGINT');
    await new Promise((r) => stack.once('exit', r));
    redis.kill('SIGKILL');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
