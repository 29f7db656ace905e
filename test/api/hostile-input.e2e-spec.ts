import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { tmpdir } from 'node:os';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { VideosClient } from '../helpers/videos-client';
import { bearer, hsToken } from '../helpers/tokens';

/** Inputs the fuzzer found turning into 500s: each must be a 4xx that says what is wrong. */
describe('hostile input is a 4xx', () => {
  let stack: TestStack;
  let token: string;
  let admin: string;
  let videoId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    token = await hsToken({ sub: randomUUID() });
    admin = await hsToken({ role: 'admin' });
    const created = await request(stack.baseUrl)
      .post('/v1/videos')
      .set(bearer(token))
      .send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 100 })
      .expect(201);
    videoId = created.body.video.id as string;
  });
  afterAll(() => stack.close());

  const api = () => request(stack.baseUrl);

  it.each([
    [
      'POST /v1/videos title',
      () => api().post('/v1/videos').set(bearer(token)).send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 1, title: 'a\u0000b' }),
    ],
    [
      'POST /v1/videos description',
      () => api().post('/v1/videos').set(bearer(token)).send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 1, description: '\u0000' }),
    ],
    ['PATCH /v1/videos/:id title', () => api().patch(`/v1/videos/${videoId}`).set(bearer(token)).send({ title: 'a\u0000b' })],
    ['PATCH /v1/videos/:id description', () => api().patch(`/v1/videos/${videoId}`).set(bearer(token)).send({ description: 'x\u0000' })],
    ['search q', () => api().get('/v1/search?q=a%00b').set(bearer(token))],
    ['search tags', () => api().get('/v1/search?q=a&tags=x%00y').set(bearer(token))],
    ['audit action filter', () => api().get('/v1/admin/audit?action=a%00b').set(bearer(admin))],
    ['audit resourceId filter', () => api().get('/v1/admin/audit?resourceId=%00').set(bearer(admin))],
    ['audit export filter', () => api().get('/v1/admin/audit/export?action=a%00b').set(bearer(admin))],
  ])('a NUL character in %s → 400', async (_name, send) => {
    const res = await send().expect(400);
    expect(res.body.message).toMatch(/must not contain NUL characters/);
  });

  it('PATCH with title null → 400, and the video is unchanged', async () => {
    const res = await api().patch(`/v1/videos/${videoId}`).set(bearer(token)).send({ title: null }).expect(400);
    expect(res.body.message).toMatch(/title must be a string/);
    await api().patch(`/v1/videos/${videoId}`).set(bearer(token)).send({ description: null }).expect(400);
    await api().patch(`/v1/videos/${videoId}`).set(bearer(token)).send({ title: 'kept' }).expect(200);
  });

  it.each([
    ['audit from', '/v1/admin/audit?from=-000001-01-01T00:00:00Z'],
    ['audit to', '/v1/admin/audit?to=-271821-04-20T00:00:00Z'],
    ['audit export from', '/v1/admin/audit/export?from=-000500-06-01T00:00:00Z'],
    ['search from', '/v1/search?q=a&from=-000001-01-01T00:00:00Z'],
    ['search to', '/v1/search?q=a&to=%2B275760-09-13T00:00:00Z'],
  ])('a date outside the years 1-9999 in %s → 400', async (_name, path) => {
    const res = await api().get(path).set(bearer(admin)).expect(400);
    expect(res.body.message).toMatch(/between the years 1 and 9999|ISO 8601/);
  });

  it("search's unavailable signals and the image-search 503 give a reason without the server's model path", async () => {
    const res = await api().get('/v1/search?q=holiday').set(bearer(token)).expect(200);
    expect(res.body.unavailable.length).toBeGreaterThan(0);
    for (const u of res.body.unavailable as { reason: string }[]) {
      expect(u.reason).toMatch(/model/);
      expect(u.reason).not.toContain(stack.config.modelDir);
    }
    const image = await api().post('/v1/search/image').set(bearer(token)).attach('image', Buffer.from('not looked at'), 'a.png').expect(503);
    expect(image.body.message).toMatch(/CLIP model/);
    expect(image.body.message).not.toContain(stack.config.modelDir);
  });
});

describe("a failed video's error, as users see it", () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true });
    token = await hsToken({ sub: randomUUID() });
  });
  afterAll(() => stack.close());

  it('says why without temp paths or ffmpeg memory addresses', async () => {
    const client = new VideosClient(stack.baseUrl, token);
    const body = Buffer.alloc(4096, 0x41);
    const created = (
      await request(stack.baseUrl)
        .post('/v1/videos')
        .set(bearer(token))
        .send({ filename: 'broken.mp4', contentType: 'video/mp4', sizeBytes: body.length })
        .expect(201)
    ).body;
    expect((await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body })).status).toBe(200);
    await client.complete(created.video.id).expect(202);
    const failed = await eventually(async () => {
      const v = (await client.get(created.video.id)).body;
      return v.state === 'failed' ? v : undefined;
    }, 60_000);
    const shown = [failed.error as string, ...failed.stages.map((st: { error?: string }) => st.error ?? '')].join('\n');
    expect(failed.error).toMatch(/^upload_validate: /);
    expect(shown).not.toMatch(/heimdex-upload_validate|\/tmp\/|0x[0-9a-f]{6,}/);
    expect(shown).not.toContain(tmpdir());
  });
});
