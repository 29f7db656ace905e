import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import request from 'supertest';
import { media } from '../helpers/media';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

/**
 * The same upload flow through the S3 driver against a real S3 server (s3rver). The API and
 * worker talk to 127.0.0.1, the client is handed URLs signed for "localhost" (seed 001).
 */
describe('videos API on S3-compatible storage', () => {
  let s3: S3rver;
  let stack: TestStack;

  beforeAll(async () => {
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'heimdex-s3-')) });
    const { port } = await s3.run();
    stack = await startTestStack({
      worker: true,
      env: {
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_PUBLIC_ENDPOINT: `http://localhost:${port}`,
        S3_ACCESS_KEY: 'S3RVER',
        S3_SECRET_KEY: 'S3RVER',
        S3_BUCKET: 'heimdex-videos',
      },
    });
  });

  afterAll(async () => {
    await stack.close();
    await s3.close();
  });

  it('creates the bucket at start, uploads to the public host, validates, plays back and purges', async () => {
    const token = await hsToken();
    const client = new VideosClient(stack.baseUrl, token);
    const clip = media.video(2);
    const created = await client.create(clip);
    expect(new URL(created.upload.url).hostname).toBe('localhost');
    expect((await client.put(created, clip)).status).toBe(200);
    await client.complete(created.video.id).expect(202);
    // 'processing' passes on the way to 'indexed': looked for every 200 ms.
    const v = await eventually(
      async () => {
        const body = (await client.get(created.video.id)).body;
        return body.state === 'processing' || body.state === 'failed' ? body : undefined;
      },
      30_000,
      200,
    );
    expect(v).toMatchObject({ state: 'processing', width: 320, height: 240 });

    const playback = await request(stack.baseUrl).get(`/v1/videos/${created.video.id}/playback`).set(bearer(token)).expect(200);
    expect(new URL(playback.body.url).hostname).toBe('localhost');
    expect((await fetch(playback.body.url)).status).toBe(200);

    await request(stack.baseUrl).delete(`/v1/videos/${created.video.id}`).set(bearer(token)).expect(204);
    const { OBJECT_STORAGE } = await import('@heimdex/storage');
    const storage = stack.api.get(OBJECT_STORAGE);
    expect(storage.driver).toBe('s3');
    const key = decodeURIComponent(new URL(created.upload.url).pathname.replace('/heimdex-videos/', ''));
    expect(key).toMatch(/^videos\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/source$/);
    await eventually(async () => ((await storage.stat(key)) === null ? true : undefined));
  });
});
