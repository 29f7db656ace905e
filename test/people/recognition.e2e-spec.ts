import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { cropAround, demoFace, demoPath } from '../helpers/face-demo';
import { media } from '../helpers/media';
import { sql } from '../helpers/test-database';
import { eventually, startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { VideosClient } from '../helpers/videos-client';
import { EnrolmentReembedder } from '../../apps/worker/src/maintenance/enrolment-reembedder';

interface Appearance {
  videoId: string;
  sceneId: string;
  startS: number;
  endS: number;
  confidence: number | null;
}
interface Cluster {
  id: string;
  size: number;
  videos: number;
  representative: { faceId: string; thumbnailUrl: string | null } | null;
}
interface ClusterDetail extends Cluster {
  faces: { faceId: string; videoId: string; sceneId: string }[];
}

/**
 * People across a library, with the real worker and the built-in face model on face-api's demo
 * photos made into two short videos:
 *   A: sample1 (strawberry blonde + two others) | sample2 (three people)
 *   B: sample3 (strawberry blonde + two others) | sample2 brightened, rescaled, re-encoded
 * Faces are clustered as the videos are indexed; enrolling, assigning, merging and deleting
 * re-match the stored faces in the background without reprocessing the videos.
 */
describe('people: recognition, clusters, assign, merge and delete across videos', () => {
  let stack: TestStack;
  let api: () => ReturnType<typeof request>;
  let auth: { Authorization: string };
  const userId = randomUUID();
  /** Scene ids by what they show. */
  const scenes = { a1: '', a2: '', b3: '', b2: '' };
  let videoA = '';
  let videoB = '';

  beforeAll(async () => {
    // Two frames per scene keep the face work small; no speech or OCR needed here.
    stack = await startTestStack({ worker: true, env: { ASR_ENGINE: 'none', OCR_ENABLED: 'false', FRAMES_PER_SCENE_MAX: '2' } });
    api = () => request(stack.baseUrl);
    const token = await hsToken({ sub: userId });
    auth = bearer(token);
    const client = new VideosClient(stack.baseUrl, token);

    const dir = mkdtempSync(join(tmpdir(), 'heimdex-people-'));
    const sample2Variant = join(dir, 'sample2-variant.jpg');
    writeFileSync(sample2Variant, await sharp(demoPath('sample2.jpg')).resize({ width: 1500 }).modulate({ brightness: 1.2 }).jpeg({ quality: 40 }).toBuffer());
    const fileA = media.shots({
      name: 'people-a',
      audio: 'none',
      size: '1280x720',
      shots: [
        { seconds: 2, image: demoPath('sample1.jpg') },
        { seconds: 2, image: demoPath('sample2.jpg') },
      ],
    });
    const fileB = media.shots({
      name: 'people-b',
      audio: 'none',
      size: '1280x720',
      shots: [
        { seconds: 2, image: demoPath('sample3.jpg') },
        { seconds: 2, image: sample2Variant },
      ],
    });
    videoA = await client.upload(fileA);
    videoB = await client.upload(fileB);
    await client.indexed(videoA, 240_000);
    await client.indexed(videoB, 240_000);
    const sceneIds = async (id: string) => ((await api().get(`/v1/videos/${id}/scenes`).set(auth).expect(200)).body as { id: string }[]).map((s) => s.id);
    [scenes.a1, scenes.a2] = await sceneIds(videoA);
    [scenes.b3, scenes.b2] = await sceneIds(videoB);
  }, 400_000);
  afterAll(() => stack.close());

  const appearances = async (personId: string): Promise<Appearance[]> => (await api().get(`/v1/people/${personId}/appearances`).set(auth).expect(200)).body;
  const sceneSet = async (personId: string) => (await appearances(personId)).map((a) => a.sceneId).sort();
  const clusters = async (): Promise<ClusterDetail[]> => {
    const list = (await api().get('/v1/faces/clusters').set(auth).expect(200)).body.items as Cluster[];
    return Promise.all(list.map(async (c) => (await api().get(`/v1/faces/clusters/${c.id}`).set(auth).expect(200)).body as ClusterDetail));
  };
  const sample2Clusters = (all: ClusterDetail[]) => all.filter((c) => c.faces.some((f) => f.sceneId === scenes.a2 || f.sceneId === scenes.b2));
  const person = async (name: string): Promise<string> => (await api().post('/v1/people').set(auth).send({ name }).expect(201)).body.id;
  const sorted = (...ids: string[]) => [...ids].sort();

  it('clusters the same unknown face across the two videos: one cluster per sample2 person, one face from each video', async () => {
    expect(Object.values(scenes).every(Boolean)).toBe(true);
    const found = await eventually(async () => {
      const all = await clusters();
      return sample2Clusters(all).length === 3 && sample2Clusters(all).every((c) => c.size === 2) ? all : undefined;
    }, 60_000);
    for (const c of sample2Clusters(found)) {
      expect(c.faces.map((f) => f.sceneId).sort()).toEqual(sorted(scenes.a2, scenes.b2));
      expect(c.videos).toBe(2);
      expect(c.representative).toMatchObject({ faceId: expect.any(String), thumbnailUrl: expect.any(String) });
      expect(c.faces.map((f) => f.faceId)).toContain(c.representative!.faceId);
      const thumb = await fetch(c.representative!.thumbnailUrl!);
      expect(thumb.status).toBe(200);
      expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).format).toBe('webp');
    }
    // Nobody else is mixed in: a cluster with a sample2 face has only sample2 faces.
    const inSample2 = new Set([scenes.a2, scenes.b2]);
    for (const c of found) expect(c.faces.every((f) => inSample2.has(f.sceneId)) || c.faces.every((f) => !inSample2.has(f.sceneId))).toBe(true);
    // Unnamed tracks that belong to no cluster are those seen once (noise); every track was placed.
    const unplaced = await sql(stack.db.url, `select id from faces where user_id = $1 and source = 'detection' and not clustered`, [userId]);
    expect(unplaced).toEqual([]);
  }, 90_000);

  it('finds a person enrolled from one crop in the scenes showing them and not in others; other models’ faces never match', async () => {
    // A person enrolled under another face model with the very embedding of a sample2 face: a
    // different space, so it must never match anything.
    const ghost = await person('Ghost of another model');
    const [track] = await sql<{ embedding: string }>(stack.db.url, `select embedding::text from faces where scene_id = $1 limit 1`, [scenes.a2]);
    await sql(
      stack.db.url,
      `insert into faces (id, user_id, source, person_id, embedding, embedding_model) values ($1, $2, 'enrollment', $3, $4, 'another-face-model@1')`,
      [randomUUID(), userId, ghost, track.embedding],
    );

    const strawberry = await person('Strawberry');
    const crop = await cropAround(demoFace('sample3.jpg', 'strawberry-blonde'), 400);
    await api().post(`/v1/people/${strawberry}/faces`).set(auth).attach('image', crop, 'crop.jpg').expect(201);

    // Re-matched in the background: sample1's strawberry blonde is another photo of her.
    const found = await eventually(async () => {
      const a = await appearances(strawberry);
      return a.length === 2 ? a : undefined;
    }, 60_000);
    expect(found.map((a) => a.sceneId).sort()).toEqual(sorted(scenes.a1, scenes.b3));
    for (const a of found) expect(a.confidence).toBeGreaterThanOrEqual(stack.config.ml.faceMatchThreshold);
    expect(found.find((a) => a.sceneId === scenes.a1)).toMatchObject({ videoId: videoA, startS: 0 });
    expect(await appearances(ghost)).toEqual([]);
    // One track per scene carries her name; the scenes endpoint shows it.
    const named = await sql<{ scene_id: string; n: number }>(
      stack.db.url,
      'select scene_id, count(*)::int as n from faces where person_id = $1 group by scene_id',
      [strawberry],
    );
    expect(named.filter((r) => r.n !== 1)).toEqual([]);
    const scenesA = (await api().get(`/v1/videos/${videoA}/scenes`).set(auth).expect(200)).body;
    expect(scenesA[0].people).toEqual([{ personId: strawberry, name: 'Strawberry', confidence: expect.any(Number) }]);
    expect(scenesA[1].people).toEqual([]);
    // Her tracks left the clusters; the sample2 clusters are untouched.
    const all = await clusters();
    const hers = await sql<{ id: string }>(stack.db.url, 'select id from faces where person_id = $1', [strawberry]);
    expect(all.flatMap((c) => c.faces.map((f) => f.faceId)).filter((id) => hers.some((h) => h.id === id))).toEqual([]);
    expect(sample2Clusters(all)).toHaveLength(3);
  }, 90_000);

  it('merges two people into one: every face moves, the other person is gone', async () => {
    const [strawberry] = ((await api().get('/v1/people').set(auth).expect(200)).body.items as { id: string; name: string }[])
      .filter((p) => p.name === 'Strawberry')
      .map((p) => p.id);
    // A second person from a crop of the other photo (kept, to check its deletion later) takes sample1's scene: nearer, and ahead by the margin.
    const second = await person('Strawberry (sample1)');
    const crop = await cropAround(demoFace('sample1.jpg', 'strawberry-blonde'), 400);
    await api().post(`/v1/people/${second}/faces?keepPhoto=true`).set(auth).attach('image', crop, 'crop.jpg').expect(201);
    await eventually(async () => ((await sceneSet(second)).join() === scenes.a1 ? true : undefined), 60_000);
    expect(await sceneSet(strawberry)).toEqual([scenes.b3]);

    const merged = (await api().post(`/v1/people/${strawberry}/merge`).set(auth).send({ fromPersonId: second }).expect(200)).body;
    expect(merged).toMatchObject({ id: strawberry, name: 'Strawberry', enrolledFaces: 2 });
    expect(merged.models[0]).toMatchObject({ faces: 2, keptPhotos: 1 });
    await api().get(`/v1/people/${second}`).set(auth).expect(404);
    expect(await sceneSet(strawberry)).toEqual(sorted(scenes.a1, scenes.b3));
    // After the re-match she is still named once per scene.
    await eventually(async () => {
      const rows = await sql<{ n: number }>(stack.db.url, `select count(*)::int as n from outbox_messages where dispatched_at is null`);
      return rows[0].n === 0 ? true : undefined;
    });
    await eventually(async () => ((await sceneSet(strawberry)).join() === sorted(scenes.a1, scenes.b3).join() ? true : undefined));
    const perScene = await sql<{ n: number }>(
      stack.db.url,
      `select count(*)::int as n from faces where person_id = $1 and source = 'detection' group by scene_id`,
      [strawberry],
    );
    expect(perScene.map((r) => r.n)).toEqual([1, 1]);
  }, 90_000);

  it('assigns a cluster to a person: its faces are named and enrolled, the cluster is gone; deleting the person hands them back', async () => {
    const [target] = sample2Clusters(await clusters());
    const fringe = await person('Someone from sample2');
    const res = (await api().post(`/v1/faces/clusters/${target.id}/assign`).set(auth).send({ personId: fringe }).expect(200)).body;
    expect(res).toMatchObject({ person: { id: fringe, enrolledFaces: 2 }, named: 2, enrolled: 2 });
    await api().get(`/v1/faces/clusters/${target.id}`).set(auth).expect(404);
    expect(await sceneSet(fringe)).toEqual(sorted(scenes.a2, scenes.b2));
    // The re-match keeps them: the enrolled faces are theirs.
    await eventually(async () => {
      const named = await sql<{ confidence: number | null }>(stack.db.url, `select confidence from faces where person_id = $1 and source = 'detection'`, [
        fringe,
      ]);
      return named.length === 2 && named.every((n) => n.confidence !== null) ? true : undefined;
    }, 60_000);
    expect(await sceneSet(fringe)).toEqual(sorted(scenes.a2, scenes.b2));
    expect(sample2Clusters(await clusters())).toHaveLength(2);

    // Deleting the person: their enrolled embeddings go, their scene faces become unnamed and cluster again.
    await api().delete(`/v1/people/${fringe}`).set(auth).expect(204);
    expect(await sql(stack.db.url, `select id from faces where person_id = $1`, [fringe])).toEqual([]);
    const back = await eventually(async () => {
      const s2 = sample2Clusters(await clusters());
      return s2.length === 3 ? s2 : undefined;
    }, 60_000);
    expect(
      back
        .map((c) =>
          c.faces
            .map((f) => f.faceId)
            .sort()
            .join(),
        )
        .sort(),
    ).toContain(
      target.faces
        .map((f) => f.faceId)
        .sort()
        .join(),
    );
  }, 120_000);

  /** sample3's face enrolled with its photo kept, then marked as made by an older model: the kept photo must be embedded again. */
  const enrolKeptPhotoUnderOlderModel = async (personId: string): Promise<{ face: { id: string }; current: string }> => {
    const crop = await cropAround(demoFace('sample3.jpg', 'sample3-red-lips'), 500);
    const face = (await api().post(`/v1/people/${personId}/faces?keepPhoto=true`).set(auth).attach('image', crop, 'crop.jpg').expect(201)).body;
    await sql(stack.db.url, `update faces set embedding_model = 'older-face-model@0' where id = $1`, [face.id]);
    return { face, current: face.embeddingModel as string };
  };

  it('after a face model change, re-embeds kept photos with the new model and leaves the old space apart', async () => {
    const kept = await person('Kept photo');
    const { face, current } = await enrolKeptPhotoUnderOlderModel(kept);
    // Another person enrolled without a kept photo under the older model cannot follow.
    const stuck = await person('No photo kept');
    await sql(
      stack.db.url,
      `insert into faces (id, user_id, source, person_id, embedding, embedding_model) select $1, user_id, 'enrollment', $2, embedding, 'older-face-model@0' from faces where id = $3`,
      [randomUUID(), stuck, face.id],
    );
    // Any change to the user's people queues the re-match, which embeds kept photos first.
    await api()
      .delete(`/v1/people/${await person('Trigger')}`)
      .set(auth)
      .expect(204);

    const models = await eventually(async () => {
      const m = (await api().get(`/v1/people/${kept}`).set(auth).expect(200)).body.models as { embeddingModel: string; faces: number; keptPhotos: number }[];
      return m.length === 2 ? m : undefined;
    }, 60_000);
    expect(models).toEqual(
      expect.arrayContaining([
        { embeddingModel: 'older-face-model@0', faces: 1, keptPhotos: 1 },
        { embeddingModel: current, faces: 1, keptPhotos: 1 },
      ]),
    );
    const [{ similarity }] = await sql<{ similarity: number }>(
      stack.db.url,
      `select 1 - (a.embedding <=> b.embedding) as similarity from faces a join faces b on b.photo_key = a.photo_key and b.id <> a.id where a.id = $1`,
      [face.id],
    );
    expect(similarity).toBeGreaterThan(0.999);
    // Found again with the new embedding: she is in sample3's scene.
    await eventually(async () => ((await sceneSet(kept)).join() === scenes.b3 ? true : undefined), 60_000);
    expect((await api().get(`/v1/people/${stuck}`).set(auth).expect(200)).body.models).toEqual([
      { embeddingModel: 'older-face-model@0', faces: 1, keptPhotos: 0 },
    ]);
    expect(await appearances(stuck)).toEqual([]);
  }, 90_000);

  it('two re-matches of a user running at once embed a kept photo with the new model once', async () => {
    const { face, current } = await enrolKeptPhotoUnderOlderModel(await person('Embedded once'));
    // As two queued re-match jobs (one per revision) do when a worker runs them side by side.
    const reembedder = stack.worker!.get(EnrolmentReembedder);
    await Promise.all([reembedder.reembedUser(userId), reembedder.reembedUser(userId)]);
    const rows = await sql<{ embedding_model: string }>(
      stack.db.url,
      `select g.embedding_model from faces f join faces g on g.photo_key = f.photo_key where f.id = $1`,
      [face.id],
    );
    expect(rows.map((r) => r.embedding_model).sort()).toEqual([current, 'older-face-model@0'].sort());
  }, 60_000);

  it('deleting a person deletes their kept photos too', async () => {
    const [strawberry] = ((await api().get('/v1/people').set(auth).expect(200)).body.items as { id: string; name: string }[])
      .filter((p) => p.name === 'Strawberry')
      .map((p) => p.id);
    const faces = (await api().get(`/v1/people/${strawberry}/faces`).set(auth).expect(200)).body as { photoUrl: string | null }[];
    const kept = faces.find((f) => f.photoUrl)!.photoUrl!;
    expect((await fetch(kept)).status).toBe(200);
    const hers = (await sql<{ id: string }>(stack.db.url, `select id from faces where person_id = $1 and source = 'detection'`, [strawberry])).map((r) => r.id);
    expect(hers).toHaveLength(2);
    await api().delete(`/v1/people/${strawberry}`).set(auth).expect(204);
    await eventually(async () => ((await fetch(kept)).status === 404 ? true : undefined), 30_000);
    const left = await sql<{ person_id: string | null; confidence: number | null }>(
      stack.db.url,
      'select person_id, confidence from faces where id = any($1::uuid[])',
      [hers],
    );
    expect(left).toEqual([
      { person_id: null, confidence: null },
      { person_id: null, confidence: null },
    ]);
    expect(await sql(stack.db.url, `select id from faces where person_id = $1`, [strawberry])).toEqual([]);
  }, 60_000);
});
