import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { JobName, PIPELINE } from '@heimdex/queue';
import request from 'supertest';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

describe('videos API (embedded storage, real worker)', () => {
  let stack: TestStack;
  let alice: string;
  let bob: string;
  let aliceId: string;
  let clip: string;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', QUOTA_FREE_MAX_VIDEOS: '100', QUOTA_FREE_MAX_BYTES: String(50 * 1024 * 1024) },
    });
    aliceId = randomUUID();
    alice = await hsToken({ sub: aliceId });
    bob = await hsToken();
    clip = media.video(3);
  });

  afterAll(() => stack.close());

  const api = () => request(stack.baseUrl);
  const as = (token: string) => new VideosClient(stack.baseUrl, token);

  it('create → PUT to the presigned URL → complete → validated by the worker', async () => {
    const created = await as(alice).create(clip, { title: '  Holiday  ', description: 'beach' });
    expect(created.video).toMatchObject({ state: 'uploading', title: 'Holiday', description: 'beach', progress: 0, stages: [] });
    expect(created.upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'video/mp4' } });
    expect(new URL(created.upload.url).origin).toBe(stack.config.publicUrl);
    expect(new Date(created.upload.expiresAt).getTime()).toBeGreaterThan(Date.now());

    expect((await as(alice).put(created, clip)).status).toBe(200);
    const done = await as(alice).complete(created.video.id).expect(202);
    expect(done.body.video).toMatchObject({ id: created.video.id, state: 'validating' });
    expect(done.body.video.stages).toHaveLength(PIPELINE.length);
    expect(done.body.video.stages.every((s: { state: string }) => s.state === 'pending')).toBe(true);
    expect(done.body.video.stages[0]).toMatchObject({ stage: 'upload_validate', state: 'pending' });

    const validated = await eventually(async () => {
      const v = (await as(alice).get(created.video.id).expect(200)).body;
      return v.stages[0].state === 'completed' ? v : undefined;
    });
    expect(validated).toMatchObject({ width: 320, height: 240 });
    expect(['processing', 'indexed']).toContain(validated.state);
    expect(validated.progress).toBeGreaterThan(0);
    expect(validated.durationS).toBeCloseTo(3, 0);
    expect(validated.stages[0]).toMatchObject({ stage: 'upload_validate', state: 'completed', attempts: 1 });
    expect(new Date(validated.stages[0].finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(validated.stages[0].startedAt).getTime());
  });

  it('complete is idempotent: a second call changes nothing and queues nothing', async () => {
    const id = await as(alice).upload(clip);
    // Only the jobs complete queues: the worker may validate the clip meanwhile and queue the stages after it.
    const validateJobs = () =>
      sql<{ n: string }>(stack.db.url, "select count(*) as n from outbox_messages where payload->>'videoId' = $1 and job_name = $2", [
        id,
        JobName.UploadValidate,
      ]);
    expect((await validateJobs())[0].n).toBe('1');
    const again = await as(alice).complete(id).expect(202);
    expect(['validating', 'processing']).toContain(again.body.video.state);
    expect((await validateJobs())[0].n).toBe('1');
  });

  it('complete before the upload → 409, and the video stays uploading', async () => {
    const created = await as(alice).create(clip);
    const res = await as(alice).complete(created.video.id).expect(409);
    expect(res.body.message).toMatch(/not in storage/);
    expect((await as(alice).get(created.video.id)).body.state).toBe('uploading');
  });

  it('complete with a different size than declared → 409', async () => {
    const created = await as(alice).create(clip, { sizeBytes: statSync(clip).size + 10 });
    // the signed URL caps the upload at the declared size; a smaller object is caught at complete
    expect((await as(alice).put(created, clip)).status).toBe(200);
    const res = await as(alice).complete(created.video.id).expect(409);
    expect(res.body.message).toMatch(/bytes but .* were declared/);
  });

  it('embedded storage refuses tampered and expired presigned URLs', async () => {
    const created = await as(alice).create(clip);
    const url = new URL(created.upload.url);
    const body = Buffer.from('x'.repeat(100));
    const tamperedSig = new URL(url);
    const sig = tamperedSig.searchParams.get('X-Heimdex-Signature')!;
    tamperedSig.searchParams.set('X-Heimdex-Signature', (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1));
    expect((await fetch(tamperedSig, { method: 'PUT', headers: created.upload.headers, body })).status).toBe(403);
    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace(/source$/, 'other');
    expect((await fetch(otherKey, { method: 'PUT', headers: created.upload.headers, body })).status).toBe(403);
    const longer = new URL(url);
    longer.searchParams.set('X-Heimdex-Expires', String(Number(url.searchParams.get('X-Heimdex-Expires')) + 3600));
    expect((await fetch(longer, { method: 'PUT', headers: created.upload.headers, body })).status).toBe(403);
    expect((await fetch(url, { method: 'GET' })).status).toBe(403); // a PUT grant is not a GET grant

    const { OBJECT_STORAGE } = await import('@heimdex/storage');
    const shortLived = await stack.api.get(OBJECT_STORAGE).presignPut('videos/x/y/source', { contentType: 'video/mp4', maxBytes: 100, ttlS: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(shortLived.url, { method: 'PUT', headers: shortLived.headers, body });
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { message: string }).message).toMatch(/expired/);
  });

  it('an upload URL refuses a bigger file than declared', async () => {
    const created = await as(alice).create(clip, { sizeBytes: 1000 });
    const res = await as(alice).put(created, clip);
    expect(res.status).toBe(413);
  });

  it('lists newest first with a stable cursor', async () => {
    const carol = await hsToken();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await as(carol).create(clip, { title: `v${i}` })).video.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await api()
        .get('/v1/videos')
        .query(cursor ? { limit: 2, cursor } : { limit: 2 })
        .set(bearer(carol))
        .expect(200);
      seen.push(...res.body.items.map((v: { id: string }) => v.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const filtered = await api().get('/v1/videos').query({ state: 'indexed' }).set(bearer(carol)).expect(200);
    expect(filtered.body).toEqual({ items: [], nextCursor: null });
  });

  it("another user's video is 404 on every route, never 403", async () => {
    const id = (await as(alice).create(clip)).video.id;
    const b = bearer(bob);
    await api().get(`/v1/videos/${id}`).set(b).expect(404);
    await api().patch(`/v1/videos/${id}`).set(b).send({ title: 'x' }).expect(404);
    await api().delete(`/v1/videos/${id}`).set(b).expect(404);
    await api().post(`/v1/videos/${id}/complete`).set(b).expect(404);
    await api().post(`/v1/videos/${id}/reprocess`).set(b).expect(404);
    await api().get(`/v1/videos/${id}/playback`).set(b).expect(404);
    await api().get(`/v1/videos/${id}/scenes`).set(b).expect(404);
    await api().get(`/v1/videos/${id}/sidecar`).set(b).expect(404);
    await api().get(`/v1/videos/${id}/events`).set(b).expect(404);
    const list = await api().get('/v1/videos').set(b).expect(200);
    expect(list.body.items.map((v: { id: string }) => v.id)).not.toContain(id);
  });

  it('GET /:id/events streams progress events and ends when the video reaches a final state', async () => {
    const id = await as(alice).upload(media.corrupt());
    const res = await fetch(`${stack.baseUrl}/v1/videos/${id}/events`, { headers: bearer(alice) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text())
      .split('\n\n')
      .filter((block) => block.includes('data:'))
      .map((block) => ({
        type: /^event: (.*)$/m.exec(block)?.[1],
        data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as { state: string; stages: Array<{ state: string }> },
      }));
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.every((e) => e.type === 'progress')).toBe(true);
    const last = events[events.length - 1].data;
    expect(last.state).toBe('failed');
    expect(last.stages[0].state).toBe('failed');
  });

  it('patch updates title and description; an empty string clears', async () => {
    const id = (await as(alice).create(clip, { title: 'a', description: 'b' })).video.id;
    const res = await api().patch(`/v1/videos/${id}`).set(bearer(alice)).send({ title: 'New', description: '' }).expect(200);
    expect(res.body).toMatchObject({ title: 'New', description: null });
  });

  it('playback gives a presigned GET that serves the bytes, with ranges', async () => {
    const id = await as(alice).upload(clip);
    const res = await api().get(`/v1/videos/${id}/playback`).set(bearer(alice)).expect(200);
    const whole = await fetch(res.body.url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).length).toBe(statSync(clip).size);
    const part = await fetch(res.body.url, { headers: { Range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const notYet = (await as(alice).create(clip)).video.id;
    await api().get(`/v1/videos/${notYet}/playback`).set(bearer(alice)).expect(409);
  });

  it('scenes are empty and the sidecar is 404 until the pipeline builds them', async () => {
    const id = (await as(alice).create(clip)).video.id;
    expect((await api().get(`/v1/videos/${id}/scenes`).set(bearer(alice)).expect(200)).body).toEqual([]);
    const res = await api().get(`/v1/videos/${id}/sidecar`).set(bearer(alice)).expect(404);
    expect(res.body.message).toMatch(/no sidecar yet/);
    await api().get(`/v1/videos/${id}/sidecar`).query({ format: 'docx' }).set(bearer(alice)).expect(400);
  });

  it('delete → 204, then 404; the purge job removes the object and the stage rows', async () => {
    const id = await as(alice).upload(clip);
    const key = `videos/${aliceId}/${id}/source`;
    await api().delete(`/v1/videos/${id}`).set(bearer(alice)).expect(204);
    await as(alice).get(id).expect(404);
    await api().delete(`/v1/videos/${id}`).set(bearer(alice)).expect(404);
    const { OBJECT_STORAGE } = await import('@heimdex/storage');
    const storage = stack.api.get(OBJECT_STORAGE);
    await eventually(async () => ((await storage.stat(key)) === null ? true : undefined));
    await eventually(async () => {
      const rows = await sql<{ n: string }>(stack.db.url, 'select count(*) as n from pipeline_jobs where video_id = $1', [id]);
      return rows[0].n === '0' ? true : undefined;
    });
    const [row] = await sql<{ state: string; deleted_at: Date }>(stack.db.url, 'select state::text, deleted_at from videos where id = $1', [id]);
    expect(row.state).toBe('deleted');
    expect(row.deleted_at).toBeTruthy();
  });

  it('reprocess: 409 unless indexed or failed; owner or admin may rerun a failed video', async () => {
    const bad = media.corrupt();
    const id = await as(alice).upload(bad);
    await eventually(async () => ((await as(alice).get(id)).body.state === 'failed' ? true : undefined));
    const uploading = (await as(alice).create(clip)).video.id;
    await api().post(`/v1/videos/${uploading}/reprocess`).set(bearer(alice)).expect(409);

    const admin = await hsToken({ role: 'admin' });
    const res = await api().post(`/v1/videos/${id}/reprocess`).set(bearer(admin)).expect(202);
    expect(res.body.video).toMatchObject({ id, state: 'validating', error: null });
    expect(res.body.video.stages).toHaveLength(PIPELINE.length);
    expect(res.body.video.stages.every((s: { state: string; attempts: number }) => s.state === 'pending' && s.attempts === 0)).toBe(true);
    const failedAgain = await eventually(async () => {
      const v = (await as(alice).get(id)).body;
      return v.state === 'failed' ? v : undefined;
    });
    expect(failedAgain.stages[0].state).toBe('failed');
  });
});

describe('videos API: bad input gets a clear 4xx and writes nothing', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { QUOTA_FREE_MAX_VIDEOS: '2', QUOTA_FREE_MAX_BYTES: '1000000' } });
    token = await hsToken();
  });
  afterAll(() => stack.close());

  const post = (body: unknown) =>
    request(stack.baseUrl)
      .post('/v1/videos')
      .set(bearer(token))
      .send(body as object);
  const valid = { filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 1000 };
  const count = async () => Number((await sql<{ n: string }>(stack.db.url, 'select count(*) as n from videos'))[0].n);

  it.each([
    ['unknown field', { ...valid, userId: 'someone-else' }, 400, /property userId should not exist/],
    ['negative size', { ...valid, sizeBytes: -5 }, 400, /sizeBytes must not be less than 1/],
    ['size as a string', { ...valid, sizeBytes: '1000' }, 400, /sizeBytes must be an integer/],
    ['unsafe integer size', { ...valid, sizeBytes: 1e30 }, 400, /sizeBytes must not be greater than/],
    ['path-like filename', { ...valid, filename: '../../etc/passwd' }, 400, /plain file name/],
    ['backslash filename', { ...valid, filename: 'C:\\videos\\a.mp4' }, 400, /plain file name/],
    ['non-video content type', { ...valid, contentType: 'application/x-sh' }, 400, /contentType must be one of/],
    ['missing fields', {}, 400, /filename/],
    ['over the tier size limit', { ...valid, sizeBytes: 2_000_000 }, 413, /exceeds the free tier's limit/],
  ])('%s → %i', async (_name, body, status, message) => {
    const before = await count();
    const res = await post(body).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, message: expect.stringMatching(message), requestId: expect.any(String) });
    expect(await count()).toBe(before);
  });

  it('malformed JSON → 400 saying so, with the request id echoed', async () => {
    const res = await request(stack.baseUrl)
      .post('/v1/videos')
      .set(bearer(token))
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'req-123')
      .send('{"filename": "a.mp4",')
      .expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/JSON/), requestId: 'req-123' });
    expect(res.headers['x-request-id']).toBe('req-123');
  });

  it('bad UUIDs and cursors → 400', async () => {
    await request(stack.baseUrl).get('/v1/videos/not-a-uuid').set(bearer(token)).expect(400);
    const res = await request(stack.baseUrl).get('/v1/videos').query({ cursor: 'garbage' }).set(bearer(token)).expect(400);
    expect(res.body.message).toMatch(/cursor is not valid/);
    await request(stack.baseUrl).get('/v1/videos').query({ limit: 1000 }).set(bearer(token)).expect(400);
    await request(stack.baseUrl).get('/v1/videos').query({ state: 'INDEXED' }).set(bearer(token)).expect(400);
  });

  it('quota: the tier video count is enforced, even under concurrent creates', async () => {
    const user = await hsToken();
    const results = await Promise.all(Array.from({ length: 5 }, () => request(stack.baseUrl).post('/v1/videos').set(bearer(user)).send(valid)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 403, 403, 403]);
    expect(results.find((r) => r.status === 403)?.body.message).toMatch(/video quota reached: the free tier allows 2 videos/);
  });
});
