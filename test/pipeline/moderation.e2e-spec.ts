import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { media } from '../helpers/media';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const astronaut = `${process.env.HEIMDEX_REALMEDIA ?? '/work/shared/realmedia'}/objects/skimage_astronaut.png`;

/**
 * vision_moderation with nsfwjs on harmless real content, its thresholds driven by what the
 * classifier really outputs (no explicit material needed): at a questionable threshold of 0.001
 * every scene is over it, so the video is rated questionable, admins find it by rating and
 * `safe=true` leaves its scenes out of search; the default thresholds (objects e2e) rate the
 * same kind of content safe.
 */
describe('pipeline: content moderation, ratings and the safe search filter; language of on-screen text', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;
  let admin: string;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { ASR_ENGINE: 'none', FACES_ENABLED: 'false', OBJECTS_ENABLED: 'false', MODERATION_QUESTIONABLE_THRESHOLD: '0.001' },
    });
    token = await hsToken({ sub: randomUUID() });
    admin = await hsToken({ sub: randomUUID(), role: 'admin' });
    client = new VideosClient(stack.baseUrl, token);
  }, 120_000);
  afterAll(() => stack.close());

  it('rates scenes and the video, lists it for admins by rating, and safe=true leaves it out of search', async () => {
    const file = media.shots({
      name: 'moderation-harbour',
      audio: 'none',
      shots: [
        { seconds: 3, color: 'navy', text: 'HARBOUR' },
        { seconds: 3, image: astronaut },
        { seconds: 3, color: 'black', text: 'DER SCHNELLE BRAUNE FUCHS' },
      ],
    });
    const id = await client.upload(file);
    const video = await client.indexed(id, 240_000);
    const stage = video.stages.find((s: { stage: string }) => s.stage === 'vision_moderation');
    expect(stage).toMatchObject({ state: 'completed', model: { name: 'nsfwjs-mobilenet-v2' } });
    expect(stage.note).toMatch(/; median wall per call: classifier \d+ ms\/frame$/);
    expect(video.contentRating).toBe('questionable');
    const objects = video.stages.find((s: { stage: string }) => s.stage === 'vision_objects');
    expect(objects).toMatchObject({ state: 'skipped', error: expect.stringMatching(/OBJECTS_ENABLED=false/) });

    // language_detect: no speech, so the on-screen text names the video's language.
    expect(video.stages.find((s: { stage: string }) => s.stage === 'language_detect')).toMatchObject({
      state: 'completed',
      model: { name: 'fasttext-lid.176' },
    });
    expect(video.language).toBe('de');
    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as { language: string | null }[];
    expect(scenes.map((s) => s.language)).toEqual([null, null, 'de']);

    const found = await request(stack.baseUrl).get('/v1/search').query({ q: 'harbour' }).set(bearer(token)).expect(200);
    expect(found.body.items.map((h: { videoId: string }) => h.videoId)).toContain(id);
    const safe = await request(stack.baseUrl).get('/v1/search').query({ q: 'harbour', safe: 'true' }).set(bearer(token)).expect(200);
    expect(safe.body.items).toEqual([]);
    await request(stack.baseUrl).get('/v1/search').query({ q: 'harbour', safe: 'maybe' }).set(bearer(token)).expect(400);

    const flagged = await request(stack.baseUrl).get('/v1/admin/videos').query({ contentRating: 'questionable' }).set(bearer(admin)).expect(200);
    expect(flagged.body.items.map((v: { id: string }) => v.id)).toContain(id);
    const explicit = await request(stack.baseUrl).get('/v1/admin/videos').query({ contentRating: 'explicit' }).set(bearer(admin)).expect(200);
    expect(explicit.body.items.map((v: { id: string }) => v.id)).not.toContain(id);
    await request(stack.baseUrl).get('/v1/admin/videos').set(bearer(token)).expect(403);

    const sidecar = (await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar`).set(bearer(token)).expect(200)).body;
    expect(sidecar.video.contentRating).toBe('questionable');
    expect(sidecar.models.moderation).toMatchObject({ name: 'nsfwjs-mobilenet-v2' });
    expect(sidecar.scenes[0].moderation).toMatchObject({ rating: 'questionable', neutral: expect.any(Number) });
  }, 300_000);
});
