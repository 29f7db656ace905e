import Redis from 'ioredis';
import request from 'supertest';
import { JobStage } from '@heimdex/db';
import { createWorkerApp } from '../../apps/worker/src/create-worker-app';
import { PipelineReconciler } from '../../apps/worker/src/pipeline/pipeline-reconciler';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { TestResources } from '../helpers/test-resources';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const ENV = { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ASR_ENGINE: 'none', FACES_ENABLED: 'false', OCR_ENABLED: 'false', PIPELINE_STALL_S: '10' };

/**
 * Redis without persistence loses every job dispatched from the outbox since its last save. The
 * database still says which stages are due: the worker re-enqueues them, and a video stuck
 * meanwhile can be reprocessed once it has been still for PIPELINE_STALL_S.
 */
describe('pipeline: jobs lost by Redis', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;
  const workers = new TestResources('lost-jobs worker');

  beforeAll(async () => {
    // No worker yet: the api dispatches the outbox, nothing consumes.
    stack = await startTestStack({ env: ENV });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
  });
  afterAll(async () => {
    await workers.close();
    await stack.close();
  });

  /** Waits until the api put the job into Redis, then deletes every key of this test's queues (a Redis restart without persistence). */
  async function loseJob(jobId: string): Promise<void> {
    await eventually(async () =>
      (await sql(stack.db.url, 'select 1 from outbox_messages where job_id = $1 and dispatched_at is not null', [jobId])).length ? true : undefined,
    );
    const redis = new Redis(stack.config.redis.url);
    try {
      const keys = await redis.keys(`${stack.config.redis.prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      await redis.quit();
    }
  }

  let stuck: string;

  it('a video stuck without jobs can be reprocessed once nothing changed for PIPELINE_STALL_S, not before', async () => {
    stuck = await client.upload(media.video(2));
    await loseJob(`upload_validate.${stuck}.1`);
    const early = await request(stack.baseUrl).post(`/v1/videos/${stuck}/reprocess`).set(bearer(token)).expect(409);
    expect(early.body.message).toMatch(/validating and its stages last changed \d+ s ago.*PIPELINE_STALL_S/);

    const res = await eventually(
      async () => {
        const r = await request(stack.baseUrl).post(`/v1/videos/${stuck}/reprocess`).set(bearer(token));
        return r.status === 409 ? undefined : r;
      },
      60_000,
      1000,
    );
    expect(res.status).toBe(202);
    expect(res.body.video).toMatchObject({ id: stuck, state: 'validating' });
    const [row] = await sql<{ pipeline_run: number }>(stack.db.url, 'select pipeline_run from videos where id = $1', [stuck]);
    expect(row.pipeline_run).toBe(2);
  });

  it('a worker that starts after Redis lost the jobs re-enqueues them from the database, the videos are indexed, and a finished stage is not re-added', async () => {
    const id = await client.upload(media.video(3));
    // Loses this video's first job and the stuck video's reprocessed one.
    await loseJob(`upload_validate.${id}.1`);

    const worker = await workers.own('worker', createWorkerApp(stack.config), (w) => w.close());
    await worker.init();
    const done = await client.indexed(id, 180_000);
    expect(done.stages.every((s: { state: string }) => s.state === 'completed' || s.state === 'skipped')).toBe(true);
    await client.indexed(stuck, 180_000);

    // A stage that finished after the reconciler read its page, its job gone from Redis, is not
    // enqueued again. The video is made live again so that only commit's own fresh state can stop the re-add.
    await sql(stack.db.url, "update videos set state = 'processing' where id = $1", [id]);
    try {
      expect(await worker.get(PipelineReconciler).requeueIfLost(id, 1, JobStage.Commit)).toBe(false);
    } finally {
      await sql(stack.db.url, "update videos set state = 'indexed' where id = $1", [id]);
    }
  }, 420_000);
});
