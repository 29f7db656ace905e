import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { media } from '../helpers/media';
import { eventually, FatalCheckError, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
const dir = mkdtempSync(join(tmpdir(), 'heimdex-limits-'));

function ffmpeg(args: string[], out: string): string {
  execFileSync(bins.ffmpeg, ['-y', '-v', 'error', ...args, out]);
  return out;
}

/** The shape, scaled down: 600 solid-black frames at 1 fps, a few KB that decode to 0.55 gigapixels. */
function decodeBomb(): string {
  return ffmpeg(
    ['-f', 'lavfi', '-i', 'color=c=black:s=1280x720:r=1:d=600', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    join(dir, 'bomb.mp4'),
  );
}

/** Five 8K frames (one encoded frame, stream-copied): decoding needs far more memory than probing. */
function eightK(): string {
  const one = ffmpeg(
    ['-f', 'lavfi', '-i', 'color=c=black:s=7680x4320:r=1:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    join(dir, 'one-8k.mp4'),
  );
  return ffmpeg(['-stream_loop', '4', '-i', one, '-c', 'copy'], join(dir, 'five-8k.mp4'));
}

/** Real ffmpeg that reads its input at native speed (-re): a stage's decode lasts as long as the video. */
function slowFfmpeg(): string {
  const wrapper = join(dir, 'ffmpeg-realtime');
  writeFileSync(wrapper, `#!/bin/sh\nexec '${bins.ffmpeg}' -re "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** ffmpeg children of this process whose command line names a scene_detect scratch folder. */
function sceneDetectChildren(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (ppid === process.pid && cmd.includes('heimdex-scene_detect-')) pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Decode cost and child limits, through the real worker. */
describe('pipeline: media cost and limits', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { MAX_DECODE_PIXELS: String(5e8), MEDIA_MEMORY_LIMIT_MB: '400', FFMPEG_PATH: slowFfmpeg() },
    });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
  }, 180_000);
  afterAll(() => stack?.close());

  async function failed(id: string) {
    return eventually(async () => {
      const v = (await client.get(id)).body;
      if (v.state === 'indexed') throw new FatalCheckError('the video was indexed');
      return v.state === 'failed' ? v : undefined;
    }, 60_000);
  }

  it('fails a small file whose decode exceeds the pixel budget before decoding it, without retry', async () => {
    const v = await failed(await client.upload(decodeBomb()));
    expect(v.error).toMatch(/^upload_validate: decoding it would cost 0\.55 gigapixels \(1280x720 x 600 frames\); the budget is 0\.50 \(MAX_DECODE_PIXELS\)/);
    expect(v.stages[0]).toMatchObject({ stage: 'upload_validate', state: 'failed', attempts: 1 });
  });

  it('kills a child that exceeds its memory limit and fails the stage for good', async () => {
    const v = await failed(await client.upload(eightK()));
    expect(v.error).toMatch(/^upload_validate: decode check exceeded its 400 MB memory limit/);
    expect(v.stages[0]).toMatchObject({ stage: 'upload_validate', state: 'failed', attempts: 1 });
  });

  it('kills the running ffmpeg when its video is deleted mid-stage', async () => {
    const id = await client.upload(media.video(120, '320x240'));
    const [pid] = await eventually(async () => {
      const pids = sceneDetectChildren();
      return pids.length ? pids : undefined;
    }, 90_000);
    await request(stack.baseUrl).delete(`/v1/videos/${id}`).set(bearer(token)).expect(204);
    // At native speed the decode has about two minutes left; the worker notices the deletion and kills it.
    await eventually(async () => (alive(pid) ? undefined : true), 30_000);
    expect(sceneDetectChildren()).toEqual([]);
  }, 240_000);
});
