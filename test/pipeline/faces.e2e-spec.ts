import { FaceApiEngine } from '@heimdex/ml';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import request from 'supertest';
import sharp from 'sharp';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';

const demo = (name: string) => join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', name);

/**
 * faces_enroll_match with the built-in model on real faces: face-api's demo photos as shots.
 * The person enrolled from a crop of sample3 is found in the scene showing sample1 (the same
 * woman) and not in the scene showing sample2 (other people), whose faces are kept unnamed.
 */
describe('pipeline: faces found and matched to enrolled people', () => {
  let stack: TestStack;
  let client: VideosClient;
  let token: string;
  const userId = randomUUID();

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, env: { ASR_ENGINE: 'none', OCR_ENABLED: 'false' } });
    token = await hsToken({ sub: userId });
    client = new VideosClient(stack.baseUrl, token);
  }, 120_000);
  afterAll(() => stack.close());

  it('names the enrolled person in the right scene only', async () => {
    // Enrol "strawberry blonde" (face-api-demo-identities.json) from a crop of sample3.
    const crop = await sharp(demo('sample3.jpg')).extract({ left: 985, top: 164, width: 400, height: 400 }).jpeg().toBuffer();
    const engine = await FaceApiEngine.create();
    const faces = await engine.detect(crop);
    expect(faces).toHaveLength(1);
    const personId = randomUUID();
    await sql(stack.db.url, 'insert into people (id, user_id, name) values ($1, $2, $3)', [personId, userId, 'Strawberry']);
    await sql(stack.db.url, `insert into faces (id, user_id, source, person_id, embedding, embedding_model) values ($1, $2, 'enrollment', $3, $4, $5)`, [
      randomUUID(),
      userId,
      personId,
      `[${Array.from(faces[0].descriptor).join(',')}]`,
      `${engine.model.name}@${engine.model.version}`,
    ]);

    const file = media.shots({
      name: 'faces-demo-photos',
      audio: 'none',
      size: '1280x720',
      shots: [
        { seconds: 2, color: 'gray' },
        { seconds: 3, image: demo('sample1.jpg') },
        { seconds: 3, image: demo('sample2.jpg') },
        { seconds: 2, color: 'gray' },
      ],
    });
    const id = await client.upload(file);
    const video = await client.indexed(id);
    const faceStage = video.stages.find((s: { stage: string }) => s.stage === 'faces_enroll_match');
    expect(faceStage).toMatchObject({ state: 'completed', model: { name: 'face-api-ssd-resnet128' } });

    const scenes = (await request(stack.baseUrl).get(`/v1/videos/${id}/scenes`).set(bearer(token)).expect(200)).body as {
      index: number;
      people: { personId: string; name: string; confidence: number }[];
    }[];
    expect(scenes).toHaveLength(4);
    expect(scenes[1].people).toEqual([{ personId, name: 'Strawberry', confidence: expect.any(Number) }]);
    expect(scenes[1].people[0].confidence).toBeGreaterThanOrEqual(stack.config.ml.faceMatchThreshold);
    expect(scenes[2].people).toEqual([]);
    expect(scenes[0].people).toEqual([]);

    // Unknown faces are kept for clustering: one track per person per scene, no name.
    const rows = await sql<{ index: number; named: string; unnamed: string }>(
      stack.db.url,
      `select s.index, count(*) filter (where f.person_id is not null) as named, count(*) filter (where f.person_id is null) as unnamed
       from faces f join scenes s on s.id = f.scene_id where f.video_id = $1 group by s.index order by s.index`,
      [id],
    );
    const byScene = Object.fromEntries(rows.map((r) => [r.index, { named: Number(r.named), unnamed: Number(r.unnamed) }]));
    expect(byScene[1]).toEqual({ named: 1, unnamed: 2 });
    expect(byScene[2].named).toBe(0);
    expect(byScene[2].unnamed).toBeGreaterThanOrEqual(2);
  }, 200_000);
});
