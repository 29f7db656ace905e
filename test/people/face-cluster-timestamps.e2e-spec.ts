import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { sql } from '../helpers/test-database';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A face cluster's timestamps read like every other timestamp of the API (ISO 8601, UTC). */
describe('face clusters: timestamps', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('updatedAt is ISO 8601 in the list and in one cluster', async () => {
    const userId = randomUUID();
    const auth = bearer(await hsToken({ sub: userId }));
    const video = (await request(stack.baseUrl).post('/v1/videos').set(auth).send({ filename: 'a.mp4', contentType: 'video/mp4', sizeBytes: 1000 }).expect(201))
      .body.video.id;
    const clusterId = randomUUID();
    await sql(
      stack.db.url,
      `insert into face_clusters (id, user_id, embedding_model, size, updated_at) values ($1, $2, 'test-model', 2, '2026-11-30 21:43:43.123456+00')`,
      [clusterId, userId],
    );
    for (let i = 0; i < 2; i++) {
      await sql(
        stack.db.url,
        `insert into faces (id, user_id, source, video_id, embedding, embedding_model, cluster_id) values ($1, $2, 'detection', $3, $4, 'test-model', $5)`,
        [randomUUID(), userId, video, `[${Array.from({ length: 128 }, (_, j) => (j === i ? 1 : 0.01)).join(',')}]`, clusterId],
      );
    }
    const list = (await request(stack.baseUrl).get('/v1/faces/clusters').set(auth).expect(200)).body.items as { id: string; updatedAt: string }[];
    expect(list.map((c) => [c.id, c.updatedAt])).toEqual([[clusterId, '2026-11-30T21:43:43.123Z']]);
    const one = (await request(stack.baseUrl).get(`/v1/faces/clusters/${clusterId}`).set(auth).expect(200)).body as { updatedAt: string };
    expect(one.updatedAt).toMatch(ISO_8601);
  });
});
