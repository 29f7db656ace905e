import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from '../helpers/test-database';
import { media } from '../helpers/media';
import { eventually, FatalCheckError, startTestStack, TestStack } from '../helpers/test-stack';
import { hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';
import { WorkerProcess } from '../helpers/worker-process';

const WORKER_ENV = { WORKER_LOCK_MS: '3000', ASR_ENGINE: 'none', OUTBOX_POLL_MS: '200' };

/** Killing the worker (SIGKILL) mid-pipeline, then starting it again, finishes the video with nothing duplicated. */
describe('pipeline: crash and restart', () => {
  let stack: TestStack;
  let client: VideosClient;
  let worker: WorkerProcess;

  beforeAll(async () => {
    stack = await startTestStack({ worker: false, env: WORKER_ENV });
    client = new VideosClient(stack.baseUrl, await hsToken());
    worker = new WorkerProcess(stack.config, WORKER_ENV);
  }, 60_000);
  afterAll(async () => {
    await worker.stop();
    await stack.close();
  });

  function stageState(v: { stages: { stage: string; state: string }[] }, stage: string): string | undefined {
    return v.stages.find((s) => s.stage === stage)?.state;
  }

  it('a worker killed while stages run leaves no duplicate scenes, faces or objects', async () => {
    const shots = Array.from({ length: 8 }, (_, i) => ({ seconds: 2, color: ['red', 'green', 'blue', 'white', 'navy', 'olive', 'purple', 'teal'][i], text: i % 2 ? `SHOT ${i}` : undefined }));
    const file = media.shots({ name: 'crash-eight-shots', audio: 'sine', shots });
    await worker.start();
    const id = await client.upload(file);

    // Kill during the visual stages, once scenes and frames exist.
    await eventually(async () => {
      const v = (await client.get(id)).body;
      if (v.state === 'failed') throw new FatalCheckError(v.error);
      return stageState(v, 'vision_sample_frames') === 'running' ? true : undefined;
    }, 120_000, 50);
    await worker.kill();
    const killed = (await client.get(id)).body;
    expect(stageState(killed, 'vision_sample_frames')).toBe('running');

    await worker.start();
    const done = await client.indexed(id, 180_000);
    expect(done.stages.every((s: { state: string }) => s.state === 'completed' || s.state === 'skipped')).toBe(true);

    const scenes = await sql<{ index: number; frames: unknown[]; thumbnail_key: string | null }>(
      stack.db.url,
      'select index, frames, thumbnail_key from scenes where video_id = $1 order by index',
      [id],
    );
    expect(scenes.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const [{ faces }] = await sql<{ faces: string }>(stack.db.url, 'select count(*) as faces from faces where video_id = $1', [id]);
    expect(Number(faces)).toBe(0);

    // Storage holds exactly the frames and thumbnails the rows point at.
    const storage = stack.config.storage;
    if (storage.driver !== 'local') throw new Error('this test reads the local store');
    const prefix = join(storage.root, storage.bucket, 'videos');
    const files = (readdirSync(prefix, { recursive: true }) as string[]).filter((p) => p.includes(id) && /\.(jpg|webp)$/.test(p));
    const expectedFrames = scenes.reduce((n, s) => n + s.frames.length, 0);
    expect(files.filter((f) => f.includes('/frames/')).length).toBe(expectedFrames);
    expect(files.filter((f) => f.includes('/thumbnails/')).length).toBe(scenes.filter((s) => s.thumbnail_key).length);
  });
});
