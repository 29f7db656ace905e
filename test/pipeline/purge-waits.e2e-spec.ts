import { JobStage } from '@heimdex/db';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { StageGate } from '../../apps/worker/src/pipeline/stage-gate';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

/** Deleting a video while one of its stages runs: the purge waits for that stage to stop, then deletes everything it wrote. */
describe('pipeline: the purge waits for running stages', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;
  let db: Client;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { ASR_ENGINE: 'none', FACES_ENABLED: 'false', OCR_ENABLED: 'false', OBJECTS_ENABLED: 'false', MODERATION_ENABLED: 'false' },
    });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stack.close();
  });

  /** Every stored file of the video (local-disk storage: one file per key). */
  const filesOf = (videoId: string) => {
    if (stack.config.storage.driver !== 'local') throw new Error('this test reads local-disk storage');
    return (readdirSync(stack.config.storage.root, { recursive: true }) as string[]).filter((f) => f.includes(videoId));
  };
  const stageState = async (id: string, stage: JobStage) =>
    (await db.query<{ state: string }>(`select state from pipeline_jobs where video_id = $1 and stage = $2`, [id, stage])).rows[0]?.state;

  it('keeps the objects while audio_extract runs, and removes all of them once it stopped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heimdex-purge-')), 'tone.mp4');
    const { ffmpeg } = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    execFileSync(ffmpeg, [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:d=4', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file],
    ]);
    const release = stack.worker!.get(StageGate).hold(JobStage.AudioExtract);
    let id = '';
    try {
      id = await client.upload(file);
      await eventually(async () => ((await stageState(id, JobStage.AudioExtract)) === 'running' ? true : undefined), 60_000, 200);
      await request(stack.baseUrl).delete(`/v1/videos/${id}`).set(bearer(token)).expect(204);
      // The purge job is dispatched at once; it must not delete while audio_extract is running.
      await new Promise((r) => setTimeout(r, 3000));
      expect(await stageState(id, JobStage.AudioExtract)).toBe('running');
      expect(filesOf(id).length).toBeGreaterThan(0);
    } finally {
      release();
    }
    // The stage notices the delete, drops its work and marks its row (which the purge then deletes with the others).
    await eventually(async () => ((await stageState(id, JobStage.AudioExtract)) !== 'running' ? true : undefined), 60_000, 200);
    await eventually(async () => ((await db.query(`select 1 from pipeline_jobs where video_id = $1`, [id])).rowCount === 0 ? true : undefined), 60_000, 200);
    expect(filesOf(id)).toEqual([]);
    expect((await db.query(`select 1 from scenes where video_id = $1`, [id])).rowCount).toBe(0);
  }, 300_000);
});
