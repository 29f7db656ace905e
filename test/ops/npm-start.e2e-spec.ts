import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { media } from '../helpers/media';
import { eventually, FatalCheckError, freePort } from '../helpers/test-stack';
import { bearer } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

/**
 * The README's first command, as a new user runs it: `npm start` with no configuration brings
 * up api + worker on the embedded database and storage, prints a dev admin token, and shuts
 * down cleanly on Ctrl-C.
 */
describe('npm start (embedded defaults)', () => {
  let child: ChildProcess;
  let output = '';
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'heimdex-start-'));
    const root = join(__dirname, '..', '..');
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', QUEUE_PREFIX: `heimdex-start-${port}` };
    for (const k of ['DATABASE_URL', 'S3_ENDPOINT', 'SUPABASE_JWT_SECRET', 'SUPABASE_URL', 'SUPABASE_JWKS_URL', 'NODE_OPTIONS']) delete env[k];
    child = spawn(process.execPath, [join(root, 'scripts', 'bootstrap.js'), 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new FatalCheckError(`npm start exited with ${child.exitCode}`);
        return output.includes('Heimdex is ready') ? true : undefined;
      },
      240_000,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- output ---\n${output}`);
    });
  }, 300_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('prints the URLs and a dev admin token that works', async () => {
    expect(output).toContain(`API      http://localhost:${port}/v1`);
    expect(output).toContain(`Docs     http://localhost:${port}/docs`);
    expect(output).toContain(`Queues   http://localhost:${port}/v1/admin/board/ui/`);
    expect(output).toMatch(/Signals {2}OCR (on|off), faces (on|off), speech (on|off), text vectors (on|off), CLIP (on|off)/);
    const token = /Dev admin token[^\n]*\n(\S+)/.exec(output)?.[1];
    expect(token).toBeTruthy();
    const me = await request(`http://127.0.0.1:${port}`).get('/v1/auth/me').set(bearer(token!)).expect(200);
    expect(me.body).toMatchObject({ role: 'admin', tier: 'pro', email: 'admin@heimdex.local' });
  });

  it('runs the worker: an uploaded video is validated', async () => {
    const token = /Dev admin token[^\n]*\n(\S+)/.exec(output)![1];
    const client = new VideosClient(`http://127.0.0.1:${port}`, token);
    const id = await client.upload(media.video(1));
    // 'processing' passes on the way to 'indexed': looked for every 200 ms.
    const v = await eventually(
      async () => {
        const body = (await client.get(id)).body;
        return body.state === 'processing' ? body : undefined;
      },
      60_000,
      200,
    );
    expect(v.stages[0].state).toBe('completed');
  }, 90_000);

  it('restarts a crashed worker (backoff) while the api keeps serving, and the new worker works', async () => {
    const workerPids = () => [...output.matchAll(/worker started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    const [first] = workerPids();
    expect(first).toBeGreaterThan(0);
    process.kill(first, 'SIGKILL');
    await eventually(async () => (/worker exited unexpectedly \(signal SIGKILL\); restarting in [\d.]+ s/.test(output) ? true : undefined), 30_000);
    await request(`http://127.0.0.1:${port}`).get('/health').expect(200);
    const second = await eventually(async () => workerPids()[1], 60_000);
    expect(second).not.toBe(first);
    expect(child.exitCode).toBeNull();

    const token = /Dev admin token[^\n]*\n(\S+)/.exec(output)![1];
    const client = new VideosClient(`http://127.0.0.1:${port}`, token);
    const id = await client.upload(media.video(1));
    await eventually(async () => ((await client.get(id)).body.stages[0].state === 'completed' ? true : undefined), 90_000);
  }, 180_000);

  it('stops api, worker and the embedded database cleanly on SIGINT', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('[heimdex] stopped');
    expect(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).toContain('"start"');
  }, 60_000);
});
