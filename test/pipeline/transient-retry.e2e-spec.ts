import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { CuttableProxy } from '../helpers/cuttable-proxy';
import { media } from '../helpers/media';
import { eventually, FatalCheckError, freePort, startTestStack, TestStack } from '../helpers/test-stack';
import { hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';
import { WorkerProcess } from '../helpers/worker-process';

interface StageView {
  stage: string;
  state: string;
  attempts: number;
  error?: string;
}

/**
 * A storage outage seen only by the worker (its S3 endpoint goes through a proxy the test cuts):
 * the stage's attempt fails, is shown as retrying, and BullMQ's backoff runs it again once
 * storage is back. A permanent fault (corrupt media) is not retried: see upload-validate.e2e-spec.
 */
describe('pipeline: a transient storage fault is retried with backoff', () => {
  let s3: S3rver;
  let proxy: CuttableProxy;
  let stack: TestStack;
  let worker: WorkerProcess;

  beforeAll(async () => {
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'heimdex-s3-')) });
    const { port } = await s3.run();
    proxy = new CuttableProxy(await freePort(), { host: '127.0.0.1', port });
    await proxy.up();
    const s3Env = { S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER', S3_BUCKET: 'heimdex-retry' };
    stack = await startTestStack({ env: { ...s3Env, S3_ENDPOINT: `http://127.0.0.1:${port}` } });
    worker = new WorkerProcess(stack.config, {
      ...s3Env,
      S3_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
      S3_PUBLIC_ENDPOINT: `http://127.0.0.1:${port}`,
      ASR_ENGINE: 'none',
      OCR_ENABLED: 'false',
      FACES_ENABLED: 'false',
    });
    await worker.start();
  }, 120_000);

  afterAll(async () => {
    await worker.stop();
    await stack.close();
    await proxy.down();
    await s3.close();
  });

  it('shows the failed attempt, then completes the stage on a later attempt once storage is back', async () => {
    const client = new VideosClient(stack.baseUrl, await hsToken());
    await proxy.down();
    const id = await client.upload(media.video(2));

    const retrying = await eventually(
      async () => {
        const v = (await client.get(id)).body as { state: string; error: string | null; stages: StageView[] };
        if (v.state === 'failed') throw new FatalCheckError(`failed instead of retrying: ${v.error}`);
        const stage = v.stages.find((s) => s.stage === 'upload_validate');
        return stage?.error?.startsWith('attempt 1 failed, will retry') ? stage : undefined;
      },
      60_000,
      100,
    );
    expect(retrying.state).toBe('pending');

    await proxy.up();
    const video = await client.indexed(id, 120_000);
    const validate = (video.stages as StageView[]).find((s) => s.stage === 'upload_validate')!;
    expect(validate.state).toBe('completed');
    expect(validate).not.toHaveProperty('error');
    expect(validate.attempts).toBeGreaterThanOrEqual(2);
    expect(video.durationS).toBeCloseTo(2, 0);
  }, 200_000);
});
