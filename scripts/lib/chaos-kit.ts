/** What both chaos modes share: generated videos, the api calls, the private Redis, waiting and the tally. */
import { resolveFfmpegBinaries } from '@heimdex/media';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_FONT } from './media';

export const chaosLog = (m: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${m}`);

export function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

export async function redisAnswers(port: number): Promise<boolean> {
  try {
    return execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'PONG';
  } catch {
    return false;
  }
}

function ffmpeg(dir: string, args: string[], name: string): string {
  const out = join(dir, name);
  execFileSync(resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null }).ffmpeg, ['-y', '-v', 'error', ...args, out]);
  return out;
}

/** 20 s of three shots with motion, on-screen text and a tone: every stage has something to do. */
export function makeVideo(dir: string, i: number): string {
  const inputs = ['testsrc2', 'smptebars', 'mandelbrot'].flatMap((src, k) => ['-f', 'lavfi', '-t', String([7, 6, 7][k]), '-i', `${src}=size=640x360:rate=25`]);
  const graph = `[0:v][1:v][2:v]concat=n=3:v=1[c];[c]format=yuv420p,drawtext=fontfile=${TEST_FONT}:text='CHAOS ${i}':fontsize=40:fontcolor=white:x=20:y=20[v]`;
  return ffmpeg(
    dir,
    [
      ...inputs,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${300 + i * 40}:duration=20`,
      '-filter_complex',
      graph,
      '-map',
      '[v]',
      '-map',
      '3:a',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      '-shortest',
    ],
    `video-${i}.mp4`,
  );
}

export function makeBomb(dir: string): string {
  return ffmpeg(dir, ['-f', 'lavfi', '-i', 'color=c=black:s=1280x720:r=1:d=600', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'], 'bomb.mp4');
}

export async function upload(base: string, token: string, file: string): Promise<string> {
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const created = (await (
    await fetch(`${base}/v1/videos`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ filename: file.split('/').pop(), contentType: 'video/mp4', sizeBytes: statSync(file).size }),
    })
  ).json()) as { video: { id: string }; upload: { url: string; headers: Record<string, string> } };
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: readFileSync(file) });
  if (!put.ok) throw new Error(`upload failed: ${put.status}`);
  const done = await fetch(`${base}/v1/videos/${created.video.id}/complete`, { method: 'POST', headers: auth });
  if (done.status !== 202) throw new Error(`complete failed: ${done.status}`);
  return created.video.id;
}

export interface VideoState {
  id: string;
  state: string;
  error: string | null;
  stages: { stage: string; state: string }[];
}

export async function states(base: string, token: string, ids: string[]): Promise<VideoState[]> {
  return Promise.all(
    ids.map(async (id) => (await (await fetch(`${base}/v1/videos/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as VideoState),
  );
}

const settled = (v: VideoState) => ['indexed', 'failed'].includes(v.state);

/** Polls until every video is indexed or failed or the deadline passes; prints the tally and returns how many are stuck. */
export async function settle(base: string, token: string, ids: string[], deadlineS: number): Promise<number> {
  const deadline = Date.now() + deadlineS * 1000;
  let last = await retrying(() => states(base, token, ids));
  while (Date.now() < deadline && !last.every(settled)) {
    await new Promise((r) => setTimeout(r, 5000));
    last = await retrying(() => states(base, token, ids));
  }
  const failed = last.filter((v) => v.state === 'failed');
  const stuck = last.filter((v) => !settled(v));
  console.log(`\nindexed ${last.filter((v) => v.state === 'indexed').length}, failed ${failed.length}, stuck ${stuck.length} (of ${ids.length})`);
  for (const v of failed) console.log(`  failed ${v.id}: ${v.error}`);
  for (const v of stuck) console.log(`  stuck  ${v.id}: ${v.state}; ${v.stages.map((s) => `${s.stage}=${s.state}`).join(' ')}`);
  return stuck.length;
}

/** The api may be restarting (its launcher restarts it after a crash): retry for a minute. */
export async function retrying<T>(fn: () => Promise<T>): Promise<T> {
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

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}
