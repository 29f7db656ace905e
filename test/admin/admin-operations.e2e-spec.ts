import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { auditRows, eventsOfRequest } from '../helpers/audit';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

/** Queue administration, any user's videos, account purge and the dashboard, through the real API and worker. */
describe('admin: queues, users, dashboard', () => {
  let stack: TestStack;
  let adminId: string;
  let admin: string;
  let aliceId: string;
  let alice: string;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ASR_ENGINE: 'none', OCR_ENABLED: 'false', FACES_ENABLED: 'false' },
    });
    adminId = randomUUID();
    admin = await hsToken({ sub: adminId, role: 'admin' });
    aliceId = randomUUID();
    alice = await hsToken({ sub: aliceId });
  });

  afterAll(() => stack.close());

  const api = () => request(stack.baseUrl);
  const queue = async (name: string) =>
    (
      (await api().get('/v1/admin/queues').set(bearer(admin)).expect(200)).body.items as { name: string; paused: boolean; counts: Record<string, number> }[]
    ).find((q) => q.name === name)!;

  it('lists every queue with its counts', async () => {
    const res = await api().get('/v1/admin/queues').set(bearer(admin)).expect(200);
    expect(res.body.items.map((q: { name: string }) => q.name).sort()).toEqual(['asr', 'maintenance', 'media', 'vision']);
    expect(res.body.items[0]).toMatchObject({ paused: false, counts: { waiting: expect.any(Number), active: expect.any(Number), failed: expect.any(Number) } });
    const [event] = await eventsOfRequest(stack.db.url, res.headers['x-request-id'] as string);
    expect(event).toMatchObject({ action: 'queues.list', actor_id: adminId, actor_role: 'admin', outcome: 'success' });
  });

  it('pause holds new jobs in the queue; resume lets the pipeline finish; both audited', async () => {
    const paused = await api().post('/v1/admin/queues/media/pause').set(bearer(admin)).expect(200);
    expect(paused.body).toMatchObject({ name: 'media', paused: true });
    expect((await eventsOfRequest(stack.db.url, paused.headers['x-request-id'] as string))[0]).toMatchObject({
      action: 'queues.pause',
      resource_type: 'queues',
      resource_id: 'media',
    });

    const client = new VideosClient(stack.baseUrl, alice);
    let id: string;
    try {
      id = await client.upload(media.video(2));
      // Stage jobs carry a priority (pipeline.ts), so BullMQ keeps them as `prioritized`, not `waiting`.
      await eventually(async () => {
        const { counts } = await queue('media');
        return counts.waiting + counts.prioritized >= 1 ? true : undefined;
      }, 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await client.get(id)).body.stages[0]).toMatchObject({ stage: 'upload_validate', state: 'pending' });
    } finally {
      // Later tests need the queue running even when this one failed.
      await api().post('/v1/admin/queues/media/resume').set(bearer(admin));
    }

    const resumed = await api().post('/v1/admin/queues/media/resume').set(bearer(admin)).expect(200);
    expect(resumed.body).toMatchObject({ name: 'media', paused: false });
    await client.indexed(id);
  });

  it('refuses an unknown queue name', async () => {
    const res = await api().post('/v1/admin/queues/nope/pause').set(bearer(admin)).expect(400);
    expect(res.body.message).toMatch(/name must be one of: media, asr, vision, maintenance/);
  });

  it('retries a failed stage for real: the video reruns as a new run and is indexed; job ids listed per video', async () => {
    const client = new VideosClient(stack.baseUrl, alice);
    const id = await client.upload(media.corrupt());
    const jobId = `upload_validate.${id}.1`;
    await eventually(async () => ((await client.get(id)).body.state === 'failed' ? true : undefined), 60_000);

    const jobs = await api().get(`/v1/admin/videos/${id}/jobs`).set(bearer(admin)).expect(200);
    expect(jobs.body).toMatchObject({ videoId: id, state: 'failed', run: 1 });
    expect(jobs.body.items[0]).toMatchObject({
      stage: 'upload_validate',
      state: 'failed',
      jobId,
      queue: 'media',
      error: expect.stringMatching(/not a readable video/),
    });
    await eventually(
      async () => ((await api().get(`/v1/admin/videos/${id}/jobs`).set(bearer(admin))).body.items[0].queueState === 'failed' ? true : undefined),
      10_000,
    );
    expect(jobs.body.items.slice(1).every((j: { state: string }) => j.state === 'cancelled')).toBe(true);

    // A stage cancelled by the failure is not what failed: the answer names the job to retry.
    const cancelled = await api().post(`/v1/admin/jobs/scene_detect.${id}.1/retry`).set(bearer(admin)).expect(409);
    expect(cancelled.body.message).toContain(`scene_detect is cancelled in run 1, not failed; retry ${jobId}`);

    // The cause is fixed (the stored file replaced by a readable one), then the failed job is retried.
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    await storage.put(videoKeys.source(aliceId, id), readFileSync(media.video(2)), { contentType: 'video/mp4' });
    const retried = await api().post(`/v1/admin/jobs/${jobId}/retry`).set(bearer(admin)).expect(200);
    expect(retried.body).toEqual({ id: `upload_validate.${id}.2`, name: 'upload_validate', queue: 'media', state: 'queued', retriedJobId: jobId });
    const [event] = await eventsOfRequest(stack.db.url, retried.headers['x-request-id'] as string);
    expect(event).toMatchObject({ action: 'jobs.retry', resource_type: 'jobs', resource_id: jobId, outcome: 'success' });
    expect((await client.get(id)).body.state).not.toBe('failed');
    const done = await client.indexed(id);
    expect(done.stages[0]).toMatchObject({ stage: 'upload_validate', state: 'completed', attempts: 1 });

    // The old run's job cannot be retried again: the answer says why and where to go instead.
    const again = await api().post(`/v1/admin/jobs/${jobId}/retry`).set(bearer(admin)).expect(409);
    expect(again.body.message).toMatch(/the job is of run 1; the video is on run 2 \(indexed\).*POST \/v1\/videos\/.*\/reprocess/);
    const missing = await api().post('/v1/admin/jobs/upload_validate.nope.1/retry').set(bearer(admin)).expect(404);
    expect(missing.body.message).toMatch(/no job/);
    expect((await eventsOfRequest(stack.db.url, missing.body.requestId))[0]).toMatchObject({ action: 'jobs.retry', outcome: 'error' });
  });

  it("shows any user's videos to an admin, and only to an admin", async () => {
    const res = await api().get(`/v1/admin/users/${aliceId}/videos`).query({ limit: 100 }).set(bearer(admin)).expect(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
    const [event] = await eventsOfRequest(stack.db.url, res.headers['x-request-id'] as string);
    expect(event).toMatchObject({ action: 'users.videos', resource_type: 'users', resource_id: aliceId });
    await api().get(`/v1/admin/users/${aliceId}/videos`).set(bearer(alice)).expect(403);
  });

  it('purges a user: videos, scenes, faces, people and objects go; the audit trail stays and records the purge', async () => {
    const bobId = randomUUID();
    const bob = await hsToken({ sub: bobId });
    const client = new VideosClient(stack.baseUrl, bob);
    const videoId = await client.upload(media.video(2));
    await client.indexed(videoId);
    await sql(stack.db.url, "insert into people (id, user_id, name, created_at, updated_at) values (gen_random_uuid(), $1, 'Someone', now(), now())", [bobId]);
    const storage = stack.api.get<ObjectStorage>(OBJECT_STORAGE);
    expect(await storage.stat(videoKeys.source(bobId, videoId))).not.toBeNull();
    const bobsEventsBefore = (await auditRows(stack.db.url, 'actor_id = $1', [bobId])).length;
    expect(bobsEventsBefore).toBeGreaterThan(0);
    const aliceVideos = (await sql<{ n: string }>(stack.db.url, 'select count(*) as n from videos where user_id = $1', [aliceId]))[0].n;

    const res = await api().post(`/v1/admin/users/${bobId}/purge`).set(bearer(admin)).expect(202);
    expect(res.body).toMatchObject({ userId: bobId, jobId: expect.stringMatching(new RegExp(`^user_purge\\.${bobId}\\.\\d+$`)) });
    const [purged] = await eventually(async () => {
      const rows = await auditRows(stack.db.url, "action = 'users.purged' and resource_id = $1", [bobId]);
      return rows.length ? rows : undefined;
    }, 30_000);
    expect(purged).toMatchObject({ actor_role: 'system', outcome: 'success' });
    expect(purged.details).toMatchObject({ reason: 'admin', rows: { videos: 1, people: 1 } });

    for (const table of ['videos', 'scenes', 'faces', 'people']) {
      expect({ table, rows: (await sql<{ n: string }>(stack.db.url, `select count(*) as n from ${table} where user_id = $1`, [bobId]))[0].n }).toEqual({
        table,
        rows: '0',
      });
    }
    expect(await sql(stack.db.url, 'select 1 from pipeline_jobs where video_id = $1', [videoId])).toEqual([]);
    expect(await storage.stat(videoKeys.source(bobId, videoId))).toBeNull();
    expect((await auditRows(stack.db.url, 'actor_id = $1', [bobId])).length).toBe(bobsEventsBefore);
    expect((await sql<{ n: string }>(stack.db.url, 'select count(*) as n from videos where user_id = $1', [aliceId]))[0].n).toBe(aliceVideos);
    const [asked] = await eventsOfRequest(stack.db.url, res.headers['x-request-id'] as string);
    expect(asked).toMatchObject({ action: 'users.purge', actor_id: adminId, resource_id: bobId, outcome: 'success' });
  });

  it('opens the read-only queue dashboard with a one-time ticket and a short-lived cookie', async () => {
    await api().get('/v1/admin/board/ui/').expect(401);
    await api().post('/v1/admin/board/session').set(bearer(alice)).expect(403);
    const session = await api().post('/v1/admin/board/session').set(bearer(admin)).expect(201);
    const url = new URL(session.body.url as string);
    expect(url.pathname).toBe('/v1/admin/board/login');

    const login = await api().get(`${url.pathname}${url.search}`).expect(302);
    expect(login.headers.location).toBe('/v1/admin/board/ui/');
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0];
    expect(cookie).toMatch(/^heimdex_board=[\w-]+; Max-Age=900; Path=\/v1\/admin\/board; Expires=.*; HttpOnly; SameSite=Strict$/);
    const [opened] = await eventsOfRequest(stack.db.url, login.headers['x-request-id'] as string);
    expect(opened).toMatchObject({ action: 'board.open', actor_id: adminId, actor_role: 'admin', outcome: 'success' });
    expect(JSON.stringify(opened.details)).not.toContain(url.searchParams.get('ticket'));

    const page = await api().get('/v1/admin/board/ui/').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(page.text).toMatch(/<html/i);
    const queues = await api().get('/v1/admin/board/ui/api/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['asr', 'maintenance', 'media', 'vision']);
    expect(queues.body.queues.every((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toBe(true);

    await api().get(`${url.pathname}${url.search}`).expect(401);
    await api().get('/v1/admin/board/ui/').set('Cookie', 'heimdex_board=forged').expect(401);
  });

  it('every admin route is 403 for a user, each attempt audited as denied', async () => {
    const attempts = [
      api().get('/v1/admin/queues'),
      api().post('/v1/admin/queues/media/pause'),
      api().post('/v1/admin/queues/media/resume'),
      api().post('/v1/admin/jobs/x/retry'),
      api().get(`/v1/admin/videos/${randomUUID()}/jobs`),
      api().get(`/v1/admin/users/${aliceId}/videos`),
      api().post(`/v1/admin/users/${aliceId}/purge`),
    ];
    for (const attempt of attempts) {
      const res = await attempt.set(bearer(alice)).expect(403);
      const events = await eventsOfRequest(stack.db.url, res.body.requestId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor_id: aliceId, outcome: 'denied' });
    }
    expect((await queue('media')).paused).toBe(false);
  });
});
