/**
 * `npm run chaos -- --hosts 2`: scale-out shown, not claimed. One api, one embedded Postgres, one
 * Redis and one S3 server (s3rver) on this machine; N workers, each in its own network namespace
 * (scripts/lib/netns.ts) reaching all three only over its veth link. Submits a batch, SIGKILLs
 * host 1's worker mid-batch, lets the others finish, then prints the tally, the stage jobs each
 * host completed (from each worker's /metrics) and the duplicate checks.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '@heimdex/config';
import { migrateToLatest, ormOptions } from '@heimdex/db';
import { startEmbeddedPostgres } from '@heimdex/embedded';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { freePort } from './free-port';
import { mintDevToken } from './dev-token';
import { chaosLog as log, makeVideo, redisAnswers, settle, startRedis, states, upload, waitFor } from './lib/chaos-kit';
import { createNetnsHost, forwardToLoopback, NetnsHost, removeNetnsHost } from './lib/netns';

const ROOT = join(__dirname, '..', '..');
const METRICS_PORT = 9464;

export async function runHosts(options: { hosts: number; videos: number; deadlineS: number; dir: string }): Promise<number> {
  const { dir } = options;
  const indexes = Array.from({ length: options.hosts }, (_, i) => i + 1);
  const children: ChildProcess[] = [];
  const forwarders: Server[] = [];
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  try {
    const hosts = indexes.map(createNetnsHost);
    log(`hosts: ${hosts.map((h) => `${h.name} at ${h.address} (via ${h.gateway})`).join(', ')}`);
    const [redisPort, apiPort, pgPort, s3Port] = [await freePort(), await freePort(), await freePort(), await freePort()];
    children.push(startRedis(redisPort));
    await waitFor(() => redisAnswers(redisPort), 10_000, 'redis');
    children.push(
      spawn(
        process.execPath,
        [join(ROOT, 'node_modules', 's3rver', 'bin', 's3rver.js'), '-d', join(dir, 's3'), '-a', '127.0.0.1', '-p', String(s3Port), '-s'],
        { stdio: 'ignore' },
      ),
    );
    await waitFor(async () => (await fetch(`http://127.0.0.1:${s3Port}/`)).status > 0, 30_000, 's3rver');

    embedded = await startEmbeddedPostgres({ dataDir: join(dir, 'pglite'), port: pgPort });
    const orm = await MikroORM.init(ormOptions(embedded.url, 2));
    await migrateToLatest(orm);
    for (const host of hosts) for (const port of [pgPort, redisPort, s3Port]) forwarders.push(await forwardToLoopback(host.gateway, port));

    const shared: NodeJS.ProcessEnv = { ...process.env, QUEUE_PREFIX: `chaoshosts${apiPort}`, LOG_LEVEL: 'warn', MAX_DECODE_PIXELS: String(5e8) };
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'S3_ENDPOINT', 'S3_PUBLIC_ENDPOINT', 'SUPABASE_URL', 'SUPABASE_JWKS_URL']) delete shared[k];
    Object.assign(shared, {
      SUPABASE_JWT_SECRET: randomBytes(32).toString('hex'),
      AUDIT_CHECKPOINT_KEY: randomBytes(32).toString('hex'),
      S3_ACCESS_KEY: 'S3RVER',
      S3_SECRET_KEY: 'S3RVER',
    });
    const at = (addr: string) => ({
      DATABASE_URL: `postgres://postgres:postgres@${addr}:${pgPort}/postgres`,
      REDIS_URL: `redis://${addr}:${redisPort}`,
      S3_ENDPOINT: `http://${addr}:${s3Port}`,
    });

    const apiEnv = { ...shared, ...at('127.0.0.1'), PORT: String(apiPort), PUBLIC_URL: `http://127.0.0.1:${apiPort}`, DATA_DIR: join(dir, 'api') };
    children.push(
      logged(
        spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')], { env: apiEnv, stdio: ['ignore', 'pipe', 'pipe'] }),
        join(dir, 'api.log'),
      ),
    );
    const base = `http://127.0.0.1:${apiPort}`;
    await waitFor(async () => (await fetch(`${base}/health/ready`)).ok, 300_000, 'the api');
    const token = await mintDevToken(loadConfig({ env: apiEnv }), {
      sub: '00000000-0000-4000-8000-000000000001',
      email: 'admin@heimdex.local',
      role: 'admin',
      tier: 'pro',
    });

    // Each worker has its own data dir: nothing is shared on disk, only over the network.
    const workers = hosts.map((host) => {
      const env = { ...shared, ...at(host.gateway), HOST: host.address, WORKER_METRICS_PORT: String(METRICS_PORT), DATA_DIR: join(dir, host.name) };
      const child = spawn('ip', ['netns', 'exec', host.name, process.execPath, join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js')], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(logged(child, join(dir, `${host.name}.log`)));
      return { host, child, done: new Map<string, number>() };
    });
    await waitFor(async () => (await Promise.all(hosts.map((h) => scrape(h)))).every((m) => m !== null), 300_000, 'the workers');
    log(`api on ${base}; ${hosts.length} workers ready; data in ${dir}`);
    // A worker's counters die with it: keep each host's last answer.
    const scrapeAll = async () => {
      for (const w of workers) w.done = (await scrape(w.host)) ?? w.done;
    };
    const scraper = setInterval(() => void scrapeAll(), 2000);

    const ids: string[] = [];
    for (let i = 0; i < options.videos; i++) ids.push(await upload(base, token, makeVideo(dir, i)));
    log(`submitted ${options.videos} videos`);
    // Kill a third of the way through the batch, so both hosts have had a share of the work first.
    const stageCount = (await states(base, token, ids))[0].stages.length;
    const third = Math.ceil((stageCount * ids.length) / 3);
    await waitFor(
      async () => workers.reduce((n, w) => n + total(w.done), 0) >= third && workers.every((w) => total(w.done) > 0),
      600_000,
      'a third of the stage jobs',
    );
    const victim = workers[0];
    clearInterval(scraper);
    await scrapeAll();
    const before = workers.map((w) => total(w.done));
    const spread = workers.map((w, k) => `${w.host.name} ${before[k]} (${pct(before[k], before)})`).join(', ');
    log(`SIGKILL ${victim.host.name}'s worker (pid ${victim.child.pid}); stage jobs completed so far: ${spread}`);
    const running = await conn(orm).execute<{ id: string; stage: string; started_at: Date }[]>(
      `select id, stage, started_at from pipeline_jobs where state = 'running'`,
    );
    const killedAt = new Date();
    victim.child.kill('SIGKILL');

    const survivors = setInterval(() => void scrapeAll(), 2000);
    const stuck = await settle(base, token, ids, options.deadlineS);
    clearInterval(survivors);
    await scrapeAll();
    const jobs = workers.map((w) => total(w.done));
    console.log(
      `stage jobs completed per host: ${workers.map((w, i) => `${w.host.name} ${jobs[i]} (${pct(jobs[i], jobs)})`).join(', ')}; ${victim.host.name} killed after ${before[0]}`,
    );
    for (const w of workers) console.log(`  ${w.host.name}: ${[...w.done].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    // A stage that the killed worker held is started again by a survivor (its started_at moves past the kill).
    const again = running.length
      ? await conn(orm).execute<{ id: string }[]>(`select id from pipeline_jobs where id in (${marks(running.map((r) => r.id))}) and started_at > ?`, [
          ...running.map((r) => r.id),
          killedAt,
        ])
      : [];
    const takenOver = running.filter((r) => again.some((a) => a.id === r.id)).map((r) => r.stage);
    console.log(
      `stage rows running at the kill: ${running.length}; of them run again by a survivor (held by ${victim.host.name}): ${takenOver.length ? takenOver.join(', ') : 'none'}`,
    );
    const dupes = await duplicateReport(orm, ids);
    await orm.close();
    return stuck + dupes;
  } finally {
    for (const child of children) child.kill('SIGKILL');
    for (const server of forwarders) server.close();
    await embedded?.stop();
    indexes.forEach(removeNetnsHost);
  }
}

/** Scenes per video (the same generated shape each, so equal counts) and rows the unique keys would not catch. */
async function duplicateReport(orm: MikroORM, ids: string[]): Promise<number> {
  const scenes = await conn(orm).execute<{ video_id: string; n: string; distinct_starts: string }[]>(
    `select video_id, count(*) as n, count(distinct start_s) as distinct_starts from scenes where copy_of is null and video_id in (${marks(ids)}) group by video_id order by video_id`,
    ids,
  );
  const rows = await conn(orm).execute<{ n: string; pairs: string }[]>(
    `select count(*) as n, count(distinct (video_id, stage)) as pairs from pipeline_jobs where video_id in (${marks(ids)})`,
    ids,
  );
  const dupes = scenes.filter((r) => r.n !== r.distinct_starts).length;
  console.log(`scenes per video: ${scenes.map((r) => r.n).join(', ')}; videos with duplicate scenes: ${dupes}`);
  console.log(`stage rows: ${rows[0].n} for ${rows[0].pairs} (video, stage) pairs`);
  return dupes + (rows[0].n === rows[0].pairs ? 0 : 1);
}

/** Completed stage jobs by stage and outcome from a worker's /metrics; null while it does not answer. */
async function scrape(host: NetnsHost): Promise<Map<string, number> | null> {
  try {
    const body = await (await fetch(`http://${host.address}:${METRICS_PORT}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    const done = new Map<string, number>();
    for (const m of body.matchAll(/^heimdex_stage_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
      const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      done.set(`${labels.stage}/${labels.outcome}`, Number(m[2]));
    }
    return done;
  } catch {
    return null;
  }
}

const conn = (orm: MikroORM) => orm.em.getConnection();

const pct = (n: number, all: number[]) =>
  `${(
    (100 * n) /
    Math.max(
      1,
      all.reduce((a, b) => a + b, 0),
    )
  ).toFixed(0)}%`;
const marks = (ids: string[]) => ids.map(() => '?').join(', ');
const total = (done: Map<string, number>) => [...done.values()].reduce((a, b) => a + b, 0);

function logged(child: ChildProcess, file: string): ChildProcess {
  const out = createWriteStream(file);
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}
