import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from '../helpers/test-database';
import { media } from '../helpers/media';
import { eventually, FatalCheckError, startTestStack, TestStack } from '../helpers/test-stack';
import { hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';
import { WorkerProcess } from '../helpers/worker-process';

const WORKER_ENV = { WORKER_LOCK_MS: '3000', ASR_ENGINE: 'none', OUTBOX_POLL_MS: '200' };
/** face-api's demo photo with three faces (test/fixtures/face-api-demo-identities.json). */
const THREE_FACES = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');

/** Killing the worker (SIGKILL) mid-pipeline, then starting it again, finishes the video with nothing duplicated. */
describe('pipeline: crash and restart', () => {
  let stack: TestStack;
  let client: VideosClient;
  let worker: WorkerProcess;

  beforeAll(async () => {
    stack = await startTestStack({ worker: false, env: WORKER_ENV });
    client = new VideosClient(stack.baseUrl, await hsToken());
    worker = new WorkerProcess(stack.config, WORKER_ENV);
  });
  afterAll(async () => {
    await worker.stop();
    await stack.close();
  });

  function stageState(v: { stages: { stage: string; state: string }[] }, stage: string): string | undefined {
    return v.stages.find((s) => s.stage === stage)?.state;
  }

  /** Waits for `stage` to be running, then kills the worker there (SIGKILL). */
  async function killDuring(id: string, stage: string): Promise<void> {
    await eventually(
      async () => {
        const v = (await client.get(id)).body;
        if (v.state === 'failed') throw new FatalCheckError(v.error);
        if (v.state === 'indexed') throw new FatalCheckError(`indexed before ${stage} was seen running`);
        return stageState(v, stage) === 'running' ? true : undefined;
      },
      120_000,
      50,
    );
    await worker.kill();
    expect(stageState((await client.get(id)).body, stage)).toBe('running');
  }

  it('a worker killed while stages run leaves no duplicate scenes, faces or objects', async () => {
    const colors = ['red', 'green', 'blue', 'white', 'navy', 'olive', 'purple', 'teal'];
    const shots = colors.map((color, i) => (i === 5 ? { seconds: 2, image: THREE_FACES } : { seconds: 2, color, text: i % 2 ? `SHOT ${i}` : undefined }));
    const file = media.shots({ name: 'crash-eight-shots-faces', audio: 'sine', size: '1280x720', shots });
    await worker.start();
    const id = await client.upload(file);

    // Killed once while frames are read (scenes and frames exist), once while faces are found.
    await killDuring(id, 'vision_sample_frames');
    await worker.start();
    await killDuring(id, 'faces_enroll_match');

    await worker.start();
    const done = await client.indexed(id, 180_000);
    expect(done.stages.every((s: { state: string }) => s.state === 'completed' || s.state === 'skipped')).toBe(true);

    const scenes = await sql<{ index: number; frames: unknown[]; thumbnail_key: string | null }>(
      stack.db.url,
      'select index, frames, thumbnail_key from scenes where video_id = $1 order by index',
      [id],
    );
    expect(scenes.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // One track per person per scene: the three faces of the photo, once each.
    const faces = await sql<{ index: number; n: string }>(
      stack.db.url,
      'select s.index, count(*) as n from faces f join scenes s on s.id = f.scene_id where f.video_id = $1 group by s.index',
      [id],
    );
    expect(faces.map((f) => ({ index: f.index, n: Number(f.n) }))).toEqual([{ index: 5, n: 3 }]);
    const [{ thumbs }] = await sql<{ thumbs: string }>(stack.db.url, 'select count(*) as thumbs from faces where video_id = $1 and thumbnail_key is not null', [
      id,
    ]);

    // Storage holds exactly the frames and thumbnails the rows point at.
    const storage = stack.config.storage;
    if (storage.driver !== 'local') throw new Error('this test reads the local store');
    const prefix = join(storage.root, storage.bucket, 'videos');
    const files = (readdirSync(prefix, { recursive: true }) as string[]).filter((p) => p.includes(id) && /\.(jpg|webp)$/.test(p));
    const expectedFrames = scenes.reduce((n, s) => n + s.frames.length, 0);
    expect(files.filter((f) => f.includes('/frames/')).length).toBe(expectedFrames);
    expect(files.filter((f) => f.includes('/thumbnails/')).length).toBe(scenes.filter((s) => s.thumbnail_key).length);
    expect(files.filter((f) => f.includes('/faces/')).length).toBe(Number(thumbs));
  }, 400_000);
});
