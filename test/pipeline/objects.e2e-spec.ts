import { validateSidecar } from '@heimdex/sidecar';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { media } from '../helpers/media';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const REAL = '/work/shared/realmedia/objects';
const realPhoto = (name: string) => `${process.env.HEIMDEX_REALMEDIA ?? REAL}/${name}`;

interface SceneView {
  index: number;
  objects: { label: string; confidence: number; count: number; firstS: number }[];
}

interface Hit {
  sceneId: string;
  matchedBy: string[];
  scores: Record<string, number>;
}

/**
 * vision_objects with the built-in CenterNet on real photos (realmedia/README.md: a camera-trap
 * dog, CDLA-Permissive-1.0; a pickup truck, Apache-2.0), each filmed as a slow Ken Burns zoom
 * between grey shots. Nothing says "dog" or "truck" in sound, on screen or in the title, so only
 * the object signal can find them.
 */
describe('pipeline: objects on the analysis frames, found by search', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { ASR_ENGINE: 'none', OCR_ENABLED: 'false', FACES_ENABLED: 'false' } });
    token = await hsToken({ sub: randomUUID() });
    client = new VideosClient(stack.baseUrl, token);
  }, 120_000);
  afterAll(() => stack.close());

  it('records each scene’s objects, and "puppy" / "dog" / objects=truck find them by the object signal only', async () => {
    const file = media.shots({
      name: 'objects-real-photos',
      audio: 'none',
      size: '1280x720',
      shots: [
        { seconds: 2, color: 'gray' },
        { seconds: 3, image: realPhoto('cameratrapai_domestic_dog.jpg'), pan: true },
        { seconds: 3, image: realPhoto('sam2_truck.jpg'), pan: true },
        { seconds: 2, color: 'gray' },
      ],
    });
    const id = await client.upload(file);
    const video = await client.indexed(id, 240_000);
    const stage = video.stages.find((s: { stage: string }) => s.stage === 'vision_objects');
    expect(stage).toMatchObject({ state: 'completed', model: { name: 'centernet-mb3-coco' } });
    expect(stage.note).toMatch(/; median wall per call: detector \d+ ms\/frame$/);
    // Real, harmless photos at the default moderation thresholds.
    expect(video.contentRating).toBe('safe');

    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as (SceneView & { id: string })[];
    expect(scenes).toHaveLength(4);
    const labels = scenes.map((s) => s.objects.map((o) => o.label));
    expect(labels[0]).toEqual([]);
    expect(labels[1]).toContain('dog');
    expect(labels[2]).toContain('truck');
    expect(labels[3]).toEqual([]);
    const dog = scenes[1].objects.find((o) => o.label === 'dog')!;
    expect(dog.count).toBeGreaterThanOrEqual(1);
    expect(dog.firstS).toBeGreaterThanOrEqual(2);
    expect(dog.firstS).toBeLessThan(5);

    for (const q of ['dog', 'puppy']) {
      const res = await request(stack.baseUrl).get('/v1/search').query({ q }).set(bearer(token)).expect(200);
      const items = res.body.items as Hit[];
      expect({ q, first: items[0]?.sceneId }).toEqual({ q, first: scenes[1].id });
      expect(items[0].matchedBy).toEqual(['object']);
      expect(items[0].scores.object).toBeCloseTo(dog.confidence, 3);
    }

    const filtered = await request(stack.baseUrl).get('/v1/search').query({ objects: 'truck' }).set(bearer(token)).expect(200);
    expect((filtered.body.items as Hit[]).map((h) => h.sceneId)).toEqual([scenes[2].id]);
    expect((filtered.body.items as Hit[])[0].matchedBy).toEqual(['object']);
    const none = await request(stack.baseUrl).get('/v1/search').query({ q: 'dog', objects: 'lorry' }).set(bearer(token)).expect(200);
    expect((none.body.items as Hit[]).map((h) => h.sceneId)).not.toContain(scenes[1].id);
    const bad = await request(stack.baseUrl).get('/v1/search').query({ objects: 'unicorn' }).set(bearer(token)).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/unicorn/);

    const sidecar = (await request(stack.baseUrl).get(`/v1/videos/${id}/sidecar`).set(bearer(token)).expect(200)).body;
    expect(validateSidecar(sidecar)).toEqual({ ok: true });
    expect(sidecar.models.objects).toMatchObject({ name: 'centernet-mb3-coco' });
    expect(sidecar.scenes[1].objects.map((o: { label: string }) => o.label)).toContain('dog');
    expect(sidecar.scenes.map((s: { moderation: { rating: string } }) => s.moderation.rating)).toEqual(['safe', 'safe', 'safe', 'safe']);
  }, 300_000);
});
