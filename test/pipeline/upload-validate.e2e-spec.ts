import { PIPELINE } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage } from '@heimdex/storage';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

/** upload_validate on real files through the real worker: ffprobe limits and a decode of both ends. */
describe('pipeline: upload_validate', () => {
  let stack: TestStack;
  let client: VideosClient;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { MAX_VIDEO_DURATION_S: '8', MAX_VIDEO_WIDTH: '1280', MAX_VIDEO_HEIGHT: '720' } });
    client = new VideosClient(stack.baseUrl, await hsToken());
  });
  afterAll(() => stack.close());

  async function outcome(file: string) {
    const id = await client.upload(file);
    return eventually(async () => {
      const v = (await client.get(id)).body;
      const validated = v.stages.find((s: { stage: string; state: string }) => s.stage === 'upload_validate')?.state === 'completed';
      return v.state === 'failed' || validated ? v : undefined;
    });
  }

  it('accepts a valid H.264/AAC MP4 and records duration and size', async () => {
    const v = await outcome(media.video(2, '640x360'));
    expect(v).toMatchObject({ width: 640, height: 360, error: null });
    expect(['processing', 'indexed']).toContain(v.state);
    expect(v.stages[0]).toEqual(expect.objectContaining({ stage: 'upload_validate', state: 'completed', note: '2.0 s, 640x360' }));
  });

  it.each([
    ['random bytes', () => media.corrupt(), /not a readable video file/],
    ['an audio-only file', () => media.audioOnly(), /audio but no video stream/],
    ['a still image', () => media.image(), /still image/],
    ['a truncated MP4', () => media.truncated(), /truncated or corrupt/],
    ['a video over the duration limit', () => media.video(10), /lasts 10 s; the limit is 8 s/],
    ['a video over the resolution limit', () => media.video(1, '1920x1080'), /resolution 1920x1080 exceeds the 1280x720 limit/],
  ])('fails %s fast with a clear reason and no retry', async (_name, make, reason) => {
    const v = await outcome(make());
    expect(v.state).toBe('failed');
    expect(v.error).toMatch(reason);
    expect(v.error).toMatch(/^upload_validate: /);
    expect(v.stages[0]).toMatchObject({ stage: 'upload_validate', state: 'failed', attempts: 1, error: expect.stringMatching(reason) });
    // Nothing after a failed first stage runs: every other stage is cancelled.
    expect(v.stages.slice(1).map((s: { state: string }) => s.state)).toEqual(Array(PIPELINE.length - 1).fill('cancelled'));
  });
});

/** The validated object cannot change underneath the pipeline (a re-PUT on S3 while its URL is valid). */
describe('pipeline: a source replaced after validation', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { OCR_ENABLED: 'false', FACES_ENABLED: 'false', ASR_ENGINE: 'none', MAX_VIDEO_WIDTH: '1280', MAX_VIDEO_HEIGHT: '720' },
    });
    token = await hsToken();
    client = new VideosClient(stack.baseUrl, token);
  });
  afterAll(() => stack.close());

  it('fails a reprocess from a later stage clearly instead of indexing bytes that were never validated', async () => {
    const id = await client.upload(media.video(2, '320x240'));
    const indexed = await client.indexed(id, 120_000);
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    // Swapped for a file validation would refuse (over the resolution limit).
    await storage.put(await sourceKey(stack, id), readFileSync(media.video(1, '1920x1080')), { contentType: 'video/mp4' });
    await request(stack.baseUrl).post(`/v1/videos/${id}/reprocess`).query({ from: 'scene_detect' }).set(bearer(token)).expect(202);
    const failed = await eventually(async () => {
      const v = (await client.get(id)).body;
      return v.state === 'failed' || (v.state === 'indexed' && v.indexedAt !== indexed.indexedAt) ? v : undefined;
    }, 120_000);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/^scene_detect: the source changed after it was validated: reprocess from upload_validate/);

    // Reprocessing from upload_validate validates the new bytes, and refuses them.
    await request(stack.baseUrl).post(`/v1/videos/${id}/reprocess`).query({ from: 'upload_validate' }).set(bearer(token)).expect(202);
    const revalidated = await eventually(async () => {
      const v = (await client.get(id)).body;
      return v.state === 'failed' && /^upload_validate/.test(v.error) ? v : undefined;
    }, 120_000);
    expect(revalidated.error).toMatch(/resolution 1920x1080 exceeds the 1280x720 limit/);
  });
});

async function sourceKey(stack: TestStack, id: string): Promise<string> {
  const [row] = await sql<{ storage_key: string }>(stack.db.url, 'select storage_key from videos where id = $1', [id]);
  return row.storage_key;
}
