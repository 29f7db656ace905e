import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import request from 'supertest';
import { cropAround, demoFace, demoPath } from '../helpers/face-demo';
import { sql } from '../helpers/test-database';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';

const MAX_BYTES = 250_000;
const MAX_PIXELS = 3_000_000;

/**
 * The people API on its own (no worker): CRUD, enrolment from real photos with the built-in face
 * model, bad input, and scoping. Matching across videos is test/people/recognition.e2e-spec.ts.
 */
describe('people API', () => {
  let stack: TestStack;
  let api: () => ReturnType<typeof request>;
  let alice: { Authorization: string };
  let bob: { Authorization: string };
  const aliceId = randomUUID();
  let strawberryCrop: Buffer;

  beforeAll(async () => {
    stack = await startTestStack({ env: { FACE_PHOTO_MAX_BYTES: String(MAX_BYTES), FACE_PHOTO_MAX_PIXELS: String(MAX_PIXELS) } });
    api = () => request(stack.baseUrl);
    alice = bearer(await hsToken({ sub: aliceId }));
    bob = bearer(await hsToken({ sub: randomUUID() }));
    strawberryCrop = await cropAround(demoFace('sample3.jpg', 'strawberry-blonde'), 400);
  }, 120_000);
  afterAll(() => stack.close());

  const createPerson = async (name: string, who = alice): Promise<string> => (await api().post('/v1/people').set(who).send({ name }).expect(201)).body.id;
  const enrol = (personId: string, image: Buffer | string, who = alice, query = '') =>
    api().post(`/v1/people/${personId}/faces${query}`).set(who).attach('image', image, { filename: 'photo.jpg', contentType: 'image/jpeg' });

  it('creates, lists, renames, reads and deletes people, each user seeing only their own', async () => {
    const ada = (await api().post('/v1/people').set(alice).send({ name: '  Ada  ' }).expect(201)).body;
    expect(ada).toMatchObject({ id: expect.any(String), name: 'Ada', enrolledFaces: 0, models: [], scenes: 0 });
    const bea = await createPerson('Bea');
    await createPerson('Cy', bob);

    const page1 = (await api().get('/v1/people?limit=1').set(alice).expect(200)).body;
    expect(page1.items.map((p: { name: string }) => p.name)).toEqual(['Ada']);
    const page2 = (await api().get(`/v1/people?limit=1&cursor=${page1.nextCursor}`).set(alice).expect(200)).body;
    expect(page2).toEqual({ items: [expect.objectContaining({ name: 'Bea' })], nextCursor: null });

    expect((await api().patch(`/v1/people/${bea}`).set(alice).send({ name: 'Beatrice' }).expect(200)).body.name).toBe('Beatrice');
    expect((await api().get(`/v1/people/${bea}`).set(alice).expect(200)).body.name).toBe('Beatrice');
    expect((await api().get(`/v1/people/${bea}/appearances`).set(alice).expect(200)).body).toEqual([]);

    await api().delete(`/v1/people/${ada.id}`).set(alice).expect(204);
    await api().get(`/v1/people/${ada.id}`).set(alice).expect(404);
  });

  it('says what is wrong with a name or an id', async () => {
    const res = await api().post('/v1/people').set(alice).send({ name: '   ' }).expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining('name must not be empty'),
      requestId: expect.any(String),
    });
    await api()
      .post('/v1/people')
      .set(alice)
      .send({ name: 'x'.repeat(201) })
      .expect(400);
    await api().post('/v1/people').set(alice).send({}).expect(400);
    await api().get('/v1/people/not-a-uuid').set(alice).expect(400);
    await api().get('/v1/people?cursor=garbage').set(alice).expect(400);
  });

  it("answers 404 for another user's person, its faces, appearances, merges and clusters", async () => {
    const mine = await createPerson('Mine');
    const theirs = await createPerson('Theirs', bob);
    await api().get(`/v1/people/${theirs}`).set(alice).expect(404);
    await api().patch(`/v1/people/${theirs}`).set(alice).send({ name: 'x' }).expect(404);
    await api().delete(`/v1/people/${theirs}`).set(alice).expect(404);
    await api().get(`/v1/people/${theirs}/appearances`).set(alice).expect(404);
    await api().get(`/v1/people/${theirs}/faces`).set(alice).expect(404);
    await enrol(theirs, strawberryCrop).expect(404);
    await api().post(`/v1/people/${mine}/merge`).set(alice).send({ fromPersonId: theirs }).expect(404);
    await api().post(`/v1/people/${theirs}/merge`).set(alice).send({ fromPersonId: mine }).expect(404);
    await api().get(`/v1/faces/clusters/${randomUUID()}`).set(alice).expect(404);
    await api().post(`/v1/faces/clusters/${randomUUID()}/assign`).set(alice).send({ personId: mine }).expect(404);
    expect((await api().get('/v1/faces/clusters').set(alice).expect(200)).body).toEqual({ items: [], nextCursor: null });
    // Bob's person is untouched.
    expect((await api().get(`/v1/people/${theirs}`).set(bob).expect(200)).body.name).toBe('Theirs');
  });

  it('refuses to merge a person into themselves', async () => {
    const p = await createPerson('Solo');
    const res = await api().post(`/v1/people/${p}/merge`).set(alice).send({ fromPersonId: p }).expect(400);
    expect(res.body.message).toMatch(/cannot be merged into themselves/);
    await api().post(`/v1/people/${p}/merge`).set(alice).send({ fromPersonId: 'nope' }).expect(400);
  });

  it('enrols exactly one face; no face or several → 422 saying which', async () => {
    const person = await createPerson('Strawberry');
    const created = (await enrol(person, strawberryCrop).expect(201)).body;
    expect(created).toMatchObject({
      personId: person,
      embeddingModel: expect.stringMatching(/^face-api-ssd-resnet128@/),
      box: { x: expect.any(Number), y: expect.any(Number), width: expect.any(Number), height: expect.any(Number) },
      score: expect.any(Number),
      photoUrl: null,
    });
    const rows = await sql<{ source: string; model: string; photo_key: string | null; dims: number }>(
      stack.db.url,
      'select source::text, embedding_model as model, photo_key, vector_dims(embedding) as dims from faces where person_id = $1',
      [person],
    );
    expect(rows).toEqual([{ source: 'enrollment', model: created.embeddingModel, photo_key: null, dims: 128 }]);

    // Resized so it stays under the pixel limit: the whole photo, three people.
    const group = await sharp(demoPath('sample3.jpg')).resize({ width: 1400 }).jpeg().toBuffer();
    const several = await enrol(person, group).expect(422);
    expect(several.body).toMatchObject({
      statusCode: 422,
      message: '3 faces were found in the photo: send a photo with exactly one face (crop it to the person)',
    });
    const wall = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8899aa' } })
      .jpeg()
      .toBuffer();
    expect((await enrol(person, wall).expect(422)).body.message).toMatch(/^no face was found in the photo/);

    const view = (await api().get(`/v1/people/${person}`).set(alice).expect(200)).body;
    expect(view).toMatchObject({ enrolledFaces: 1, models: [{ embeddingModel: created.embeddingModel, faces: 1, keptPhotos: 0 }] });
    // Each accepted enrolment queued a re-match of the library, carrying the user's new revision.
    const queued = await sql<{ payload: { userId: string; revision: number } }>(
      stack.db.url,
      `select payload from outbox_messages where job_name = 'faces_rematch' and payload->>'userId' = $1 order by id`,
      [aliceId],
    );
    expect(queued.length).toBeGreaterThanOrEqual(1);
    expect(queued.map((q) => q.payload.revision)).toEqual([...queued.map((q) => q.payload.revision)].sort((a, b) => a - b));
  }, 60_000);

  it('answers non-images, animated images and photos over the byte or pixel limit with a clear 4xx', async () => {
    const person = await createPerson('Limits');
    const text = await enrol(person, Buffer.from('this is not a photo at all')).expect(415);
    expect(text.body.message).toBe('the file is not an image Heimdex can read; send a JPEG, PNG or WebP photo');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>');
    expect((await enrol(person, svg).expect(415)).body.message).toBe('svg images are not supported; send a JPEG, PNG or WebP photo');
    const frames = await Promise.all(
      ['#aa2222', '#22aa22'].map((c) =>
        sharp({ create: { width: 64, height: 64, channels: 3, background: c } })
          .png()
          .toBuffer(),
      ),
    );
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await enrol(person, gif).expect(415)).body.message).toMatch(/^animated or multi-page images are not supported \(gif with 2 frames\)/);

    const huge = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    expect(huge.length).toBeLessThan(MAX_BYTES);
    expect((await enrol(person, huge).expect(413)).body.message).toBe(`the photo is 2000x2000 (4000000 pixels); at most ${MAX_PIXELS} pixels are accepted`);
    const heavy = await sharp(demoPath('sample6.jpg')).jpeg({ quality: 100 }).toBuffer();
    expect(heavy.length).toBeGreaterThan(MAX_BYTES);
    expect((await enrol(person, heavy).expect(413)).body.message).toBe(`the photo is larger than ${MAX_BYTES} bytes (FACE_PHOTO_MAX_BYTES)`);

    expect((await api().post(`/v1/people/${person}/faces`).set(alice).send({ image: 'x' }).expect(400)).body.message).toMatch(/field "image"/);
    const two = await api()
      .post(`/v1/people/${person}/faces`)
      .set(alice)
      .attach('image', strawberryCrop, 'a.jpg')
      .attach('image', strawberryCrop, 'b.jpg')
      .expect(400);
    expect(two.body.message).toBe('send exactly one file, in the multipart field "image"');
    await api().post(`/v1/people/${person}/faces`).set(alice).attach('photo', strawberryCrop, 'a.jpg').expect(400);
    expect((await api().get(`/v1/people/${person}`).set(alice).expect(200)).body.enrolledFaces).toBe(0);
  }, 60_000);

  it('rotates EXIF-rotated photos upright, and keeps a photo only when asked, without its metadata', async () => {
    const person = await createPerson('Rotated');
    const face = demoFace('sample3.jpg', 'strawberry-blonde');
    const portrait = await sharp(demoPath('sample3.jpg'))
      .extract({ left: face.centre[0] - 200, top: face.centre[1] - 260, width: 400, height: 500 })
      .jpeg()
      .toBuffer();
    // Stored lying on its side, with the EXIF tag that says to turn it (as phones do), and a location.
    const sideways = await sharp(portrait)
      .rotate(270)
      .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'someone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } } })
      .jpeg()
      .toBuffer();
    expect(await sharp(sideways).metadata()).toMatchObject({ width: 500, height: 400, orientation: 6 });

    const upright = (await enrol(person, portrait).expect(201)).body;
    const rotated = (await enrol(person, sideways, alice, '?keepPhoto=true').expect(201)).body;
    // The face is found where it is in the upright photo, and embeds as the upright one does.
    expect(Math.abs(rotated.box.x - upright.box.x)).toBeLessThan(6);
    expect(Math.abs(rotated.box.y - upright.box.y)).toBeLessThan(6);
    const [{ similarity }] = await sql<{ similarity: number }>(
      stack.db.url,
      'select 1 - (a.embedding <=> b.embedding) as similarity from faces a, faces b where a.id = $1 and b.id = $2',
      [upright.id, rotated.id],
    );
    expect(similarity).toBeGreaterThan(0.99);

    expect(upright.photoUrl).toBeNull();
    expect(rotated.photoUrl).toEqual(expect.any(String));
    const kept = Buffer.from(await (await fetch(rotated.photoUrl)).arrayBuffer());
    const meta = await sharp(kept).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 400, height: 500 });
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    const [{ photo_key }] = await sql<{ photo_key: string }>(stack.db.url, 'select photo_key from faces where id = $1', [rotated.id]);
    expect(photo_key).toBe(`people/${aliceId}/photos/${rotated.id}.jpg`);

    const listed = (await api().get(`/v1/people/${person}/faces`).set(alice).expect(200)).body;
    expect(listed.map((f: { id: string }) => f.id)).toEqual([upright.id, rotated.id]);
    expect((await api().get(`/v1/people/${person}`).set(alice).expect(200)).body.models).toEqual([
      { embeddingModel: upright.embeddingModel, faces: 2, keptPhotos: 1 },
    ]);

    // Deleting the person deletes their embeddings now, and hands the kept photo to the re-match job to delete.
    await api().delete(`/v1/people/${person}`).set(alice).expect(204);
    expect(await sql(stack.db.url, 'select id from faces where id = any($1::uuid[])', [[upright.id, rotated.id]])).toEqual([]);
    const [job] = await sql<{ payload: { deletePhotoKeys: string[] } }>(
      stack.db.url,
      `select payload from outbox_messages where job_name = 'faces_rematch' and payload->>'userId' = $1 order by id desc limit 1`,
      [aliceId],
    );
    expect(job.payload.deletePhotoKeys).toEqual([photo_key]);
  }, 60_000);
});

describe('people API with faces switched off', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { FACES_ENABLED: 'false' } });
  }, 60_000);
  afterAll(() => stack.close());

  it('answers enrolment with 503 and the reason; the rest of the API works', async () => {
    const who = bearer(await hsToken());
    const person = (await request(stack.baseUrl).post('/v1/people').set(who).send({ name: 'Nobody' }).expect(201)).body.id;
    const photo = await cropAround(demoFace('sample3.jpg', 'strawberry-blonde'), 400);
    const res = await request(stack.baseUrl).post(`/v1/people/${person}/faces`).set(who).attach('image', photo, 'p.jpg').expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, message: 'face enrolment is unavailable: face detection is switched off (FACES_ENABLED=false)' });
  });
});
