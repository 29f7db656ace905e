import { ClipEmbedder, loadClip, loadTextEmbedder, ModelRegistry, TextEmbedder } from '@heimdex/ml';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { writeTestClipModel, writeTestTextModel } from '../helpers/onnx-models';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { bearer, hsToken } from '../helpers/tokens';
import { SearchSeed, vectorAt } from './search-seed';

interface Hit {
  videoId: string;
  sceneId: string;
  startS: number;
  endS: number;
  matchStartS: number | null;
  score: number;
  scores: Record<string, number>;
  matchedBy: string[];
  highlight: string | null;
  thumbnailUrl: string | null;
}
interface Result {
  items: Hit[];
  nextCursor: string | null;
  unavailable: { signal: string; reason: string }[];
}

const TEXT_MODEL = 'test-minilm@1';
const CLIP_MODEL = 'test-clip@1';

/**
 * GET /v1/search and POST /v1/search/image through the real API on a real database, with the
 * test ONNX text and CLIP models in MODEL_DIR. Scenes are written straight into the database
 * (setup only) so each case controls exactly what matches: text, words, tags, people, vectors
 * at a chosen similarity to the query's real embedding.
 */
describe('search', () => {
  let stack: TestStack;
  let seed: SearchSeed;
  let text: TextEmbedder;
  let clip: ClipEmbedder;
  const alice = randomUUID();
  const bob = randomUUID();
  // Semantic and picture cases get users of their own: the test models' vectors are alike for any
  // query, so their scenes would turn up in every other case's results.
  const carol = randomUUID();
  const dave = randomUUID();
  let aliceToken: string;
  let bobToken: string;
  let carolToken: string;
  let daveToken: string;

  const search = (params: Record<string, string | number>, token = aliceToken) => request(stack.baseUrl).get('/v1/search').query(params).set(bearer(token));
  const ok = async (params: Record<string, string | number>, token = aliceToken): Promise<Result> => (await search(params, token).expect(200)).body as Result;
  const textVector = async (q: string) => Array.from((await text.embed([q], 'query'))[0]);
  const clipTextVector = async (q: string) => Array.from((await clip.embedTexts([q]))[0]);

  beforeAll(async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'heimdex-search-models-'));
    writeTestTextModel(modelDir);
    writeTestClipModel(modelDir);
    stack = await startTestStack({ env: { MODEL_DIR: modelDir, SEARCH_IMAGE_MAX_BYTES: '20000' } });
    seed = await SearchSeed.connect(stack.db.url);
    const registry = await ModelRegistry.load(modelDir);
    const [t, c] = await Promise.all([loadTextEmbedder(stack.config, registry), loadClip(stack.config, registry)]);
    if (!t.available || !c.available) throw new Error('test models did not load');
    text = t.engine;
    clip = c.engine;
    aliceToken = await hsToken({ sub: alice });
    bobToken = await hsToken({ sub: bob });
    carolToken = await hsToken({ sub: carol });
    daveToken = await hsToken({ sub: dave });
  }, 120_000);
  afterAll(async () => {
    await seed.close();
    await stack.close();
  });

  describe('full text', () => {
    let video: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      video = await seed.video({ userId: alice, title: 'Harbour walk', description: 'filmed on a grey morning' });
      ids.said = await seed.scene({ videoId: video, userId: alice, index: 0, transcript: 'welcome everyone to the lighthouse tour' });
      ids.shown = await seed.scene({ videoId: video, userId: alice, index: 1, ocrText: 'LIGHTHOUSE OPENING HOURS' });
      ids.tagged = await seed.scene({ videoId: video, userId: alice, index: 2, tags: [{ tag: 'seagulls', score: 0.8 }] });
      ids.plain = await seed.scene({ videoId: video, userId: alice, index: 3, transcript: 'nothing much happens here' });
      ids.markup = await seed.scene({ videoId: video, userId: alice, index: 4, transcript: 'if a < b then <b>bold</b> friends' });
    });

    it('finds spoken words with a highlight and the time of the first matching word', async () => {
      const { items } = await ok({ q: 'tour', modes: 'transcript' });
      expect(items.map((h) => h.sceneId)).toEqual([ids.said]);
      const [hit] = items;
      expect(hit).toMatchObject({ videoId: video, startS: 0, endS: 10, matchedBy: ['transcript'], matchStartS: 5 });
      expect(hit.highlight).toBe('welcome everyone to the lighthouse <mark>tour</mark>');
      expect(hit.scores.transcript).toBeGreaterThan(0);
    });

    it('ranks a scene by what it said above what it showed, and says which signal matched', async () => {
      const { items } = await ok({ q: 'lighthouse', modes: 'transcript,ocr' });
      expect(items.map((h) => [h.sceneId, h.matchedBy])).toEqual([
        [ids.said, ['transcript']],
        [ids.shown, ['ocr']],
      ]);
      expect(items[1].highlight).toBe('<mark>LIGHTHOUSE</mark> OPENING HOURS');
      expect(items[1].matchStartS).toBeNull();
    });

    it('finds tags, and the video title once per video rather than in every scene', async () => {
      expect((await ok({ q: 'seagulls' })).items.map((h) => [h.sceneId, h.matchedBy])).toEqual([[ids.tagged, ['tag']]]);
      const title = await ok({ q: 'harbour' });
      expect(title.items).toHaveLength(1);
      expect(title.items[0]).toMatchObject({ sceneId: ids.said, matchedBy: ['title'], highlight: '<mark>Harbour</mark> walk — filmed on a grey morning' });
      expect(title.items[0].scores.title).toBeGreaterThan(0);
      // A title word together with a scene's own word: the scene document covers both.
      expect((await ok({ q: 'harbour opening' })).items.map((h) => h.sceneId)).toEqual([ids.shown]);
    });

    it('takes websearch syntax: phrases, OR, -exclusion', async () => {
      expect((await ok({ q: '"lighthouse tour"' })).items.map((h) => h.sceneId)).toEqual([ids.said]);
      expect((await ok({ q: '"tour lighthouse"' })).items).toEqual([]);
      expect((await ok({ q: 'seagulls OR hours' })).items.map((h) => h.sceneId).sort()).toEqual([ids.shown, ids.tagged].sort());
      expect((await ok({ q: 'lighthouse -tour' })).items.map((h) => h.sceneId)).toEqual([ids.shown]);
    });

    it('tolerates a typo when full text finds too little', async () => {
      const { items } = await ok({ q: 'lighthose' });
      expect(items.map((h) => h.sceneId)).toContain(ids.said);
      expect(items.map((h) => h.sceneId)).toContain(ids.shown);
      expect(items.find((h) => h.sceneId === ids.shown)?.matchedBy).toEqual(['ocr']);
    });

    it('adds near spellings after the few full-text hits, without repeating those', async () => {
      const tours = await seed.scene({ videoId: video, userId: alice, index: 5, transcript: 'guided tours leave daily' });
      const { items } = await ok({ q: 'tour' });
      expect(items.map((h) => [h.sceneId, h.matchedBy])).toEqual([
        [ids.said, ['transcript']],
        [tours, ['transcript']],
      ]);
      expect(items[0].highlight).toContain('<mark>tour</mark>');
      expect(items[1].scores.transcript).toBeGreaterThanOrEqual(0.5);
    });

    it('escapes markup in highlights', async () => {
      const { items } = await ok({ q: 'friends' });
      expect(items[0].highlight).toBe('if a &lt; b then &lt;b&gt;bold&lt;/b&gt; <mark>friends</mark>');
    });

    it('stems words in the video language and still matches other languages exactly', async () => {
      const en = await seed.video({ userId: alice, language: 'en' });
      const running = await seed.scene({ videoId: en, userId: alice, index: 0, transcript: 'the dogs were running along the beach' });
      const de = await seed.video({ userId: alice });
      const german = await seed.scene({ videoId: de, userId: alice, index: 0, transcript: 'Grüße aus München' });
      // "runs" and "dog" share no exact word with the transcript; English stemming finds it.
      expect((await ok({ q: 'runs dog' })).items.map((h) => h.sceneId)).toEqual([running]);
      expect((await ok({ q: 'münchen' })).items.map((h) => h.sceneId)).toEqual([german]);
    });

    it('stems each scene in its own language in a mixed-language video, and parses the query in each', async () => {
      // A new owner: the caller's languages are cached for a minute.
      const owner = randomUUID();
      const token = await hsToken({ sub: owner });
      const mixed = await seed.video({ userId: owner, language: 'en' });
      const english = await seed.scene({ videoId: mixed, userId: owner, index: 0, transcript: 'the dogs were running along the beach', language: 'en' });
      const german = await seed.scene({ videoId: mixed, userId: owner, index: 1, transcript: 'die alten Häuser am Fluss', language: 'de' });
      const spanish = await seed.scene({ videoId: mixed, userId: owner, index: 2, transcript: 'los niños cantaban canciones', language: 'es' });
      const unknown = await seed.scene({ videoId: mixed, userId: owner, index: 3, transcript: 'the cats were sleeping' });
      // Only German stemming makes "haus" of "Häuser", only Spanish "cant" of "cantaban" and "cantar".
      expect((await ok({ q: 'haus' }, token)).items.map((h) => h.sceneId)).toEqual([german]);
      expect((await ok({ q: 'cantar' }, token)).items.map((h) => h.sceneId)).toEqual([spanish]);
      expect((await ok({ q: 'runs dog' }, token)).items.map((h) => h.sceneId)).toEqual([english]);
      // A scene of no known language falls back to the video's (English).
      expect((await ok({ q: 'sleeps cat' }, token)).items.map((h) => h.sceneId)).toEqual([unknown]);
      // The first matching word's time comes from the scene's own stemming too.
      expect((await ok({ q: 'haus' }, token)).items[0].matchStartS).toBe(12);
    });

    it('points a phrase at where it is said, not at a lone query word before it', async () => {
      const owner = randomUUID();
      const token = await hsToken({ sub: owner });
      const song = await seed.video({ userId: owner, language: 'en' });
      // One word a second from 20 s: "a" is said at 22 s and 33 s, "and" at 21 s and 37 s, "its" at 35 s and 38 s.
      await seed.scene({
        videoId: song,
        userId: owner,
        index: 2,
        endS: 40,
        transcript: 'hearty and a hale I live on an island on the back of a whale its lord and its master',
      });
      const at = async (q: string) => (await ok({ q, modes: 'transcript' }, token)).items[0]?.matchStartS;
      expect(await at('"back of a whale"')).toBe(31);
      expect(await at('"lord and its master"')).toBe(36);
      expect(await at('back whale')).toBe(31);
      // A query word said alone: the first time it is said.
      expect(await at('island')).toBe(28);
    });

    it('follows a title change', async () => {
      await request(stack.baseUrl).patch(`/v1/videos/${video}`).set(bearer(aliceToken)).send({ title: 'Coastal stroll' }).expect(200);
      expect((await ok({ q: 'harbour' })).items).toEqual([]);
      expect((await ok({ q: 'coastal' })).items).toHaveLength(1);
    });
  });

  describe('sound-alike words in speech-recognised transcripts', () => {
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const video = await seed.video({ userId: alice });
      // dmetaphone('night') = dmetaphone('nite') = 'NT'.
      ids.said = await seed.scene({ videoId: video, userId: alice, index: 0, transcript: 'the night shift begins', transcriptSource: 'asr' });
      ids.misheard = await seed.scene({ videoId: video, userId: alice, index: 1, transcript: 'we filmed the pier at nite', transcriptSource: 'asr' });
      ids.captioned = await seed.scene({ videoId: video, userId: alice, index: 2, transcript: 'a nite to remember', transcriptSource: 'captions' });
      ids.shown = await seed.scene({ videoId: video, userId: alice, index: 3, ocrText: 'NITE CLUB' });
    });

    it('finds a misrecognised word that sounds like the query, below the exact word, in ASR transcripts only', async () => {
      const { items } = await ok({ q: 'night' });
      expect(items.map((h) => [h.sceneId, h.matchedBy])).toEqual([
        [ids.said, ['transcript']],
        [ids.misheard, ['transcript']],
      ]);
      expect(items[1].scores.transcript).toBeGreaterThan(0);
      expect(items[1].scores.transcript).toBeLessThan(items[0].scores.transcript);
      expect(Object.keys(items[1].scores)).toEqual(['transcript']);
    });

    it('every query word must sound alike, and a request without the transcript signal gets none', async () => {
      expect((await ok({ q: 'pier night' })).items.map((h) => h.sceneId)).toEqual([ids.misheard]);
      expect((await ok({ q: 'night', modes: 'ocr' })).items).toEqual([]);
    });
  });

  describe('semantic signals', () => {
    const q = 'feline napping indoors';
    const ids: Record<string, string> = {};
    let video: string;

    beforeAll(async () => {
      const t = await textVector(q);
      const v = await clipTextVector(q);
      video = await seed.video({ userId: carol });
      ids.close = await seed.scene({
        videoId: video,
        userId: carol,
        index: 0,
        transcript: 'she sleeps on the sofa',
        text: { vector: vectorAt(t, 0.9, 1), model: TEXT_MODEL },
      });
      ids.weak = await seed.scene({
        videoId: video,
        userId: carol,
        index: 1,
        transcript: 'traffic report',
        text: { vector: vectorAt(t, 0.1, 2), model: TEXT_MODEL },
      });
      ids.otherModel = await seed.scene({ videoId: video, userId: carol, index: 2, transcript: 'old vectors', text: { vector: t, model: 'retired-model@1' } });
      ids.picture = await seed.scene({ videoId: video, userId: carol, index: 3, visual: { vector: vectorAt(v, 0.5, 3), model: CLIP_MODEL } });
      ids.faint = await seed.scene({ videoId: video, userId: carol, index: 4, visual: { vector: vectorAt(v, 0.05, 4), model: CLIP_MODEL } });
      ids.both = await seed.scene({
        videoId: video,
        userId: carol,
        index: 5,
        ocrText: 'FELINE NAPPING INDOORS',
        text: { vector: vectorAt(t, 0.6, 5), model: TEXT_MODEL },
        visual: { vector: vectorAt(v, 0.4, 6), model: CLIP_MODEL },
      });
    });

    it('finds scenes by meaning above the cutoff only, from vectors of the same model', async () => {
      const { items, unavailable } = await ok({ q }, carolToken);
      expect(unavailable).toEqual([]);
      const found = items.map((h) => h.sceneId);
      expect(found).toEqual(expect.arrayContaining([ids.close, ids.picture, ids.both]));
      expect(found).not.toContain(ids.weak);
      expect(found).not.toContain(ids.faint);
      expect(found).not.toContain(ids.otherModel);
      const close = items.find((h) => h.sceneId === ids.close)!;
      expect(close.scores.text).toBeCloseTo(0.9, 3);
      expect(close.matchedBy).toEqual(['transcript']);
      expect(close.highlight).toBe('she sleeps on the sofa');
      expect(items.find((h) => h.sceneId === ids.picture)).toMatchObject({ matchedBy: ['visual'], scores: { visual: expect.closeTo(0.5, 3) } });
    });

    it('fuses the signals: a scene found three ways ranks first', async () => {
      const { items } = await ok({ q }, carolToken);
      expect(items[0].sceneId).toBe(ids.both);
      expect(items[0].matchedBy).toEqual(['ocr', 'visual']);
      expect(Object.keys(items[0].scores).sort()).toEqual(['ocr', 'text', 'visual']);
      expect(items[0].score).toBeGreaterThan(items[1].score);
    });

    it('modes restrict the signals', async () => {
      expect((await ok({ q, modes: 'visual' }, carolToken)).items.map((h) => h.sceneId).sort()).toEqual([ids.picture, ids.both].sort());
      const transcript = await ok({ q, modes: 'transcript' }, carolToken);
      expect(transcript.items.map((h) => h.sceneId)).toEqual([ids.close]);
    });

    it('a query about something absent returns nothing rather than every scene by distance', async () => {
      const dog = await textVector('dog');
      const elsewhere = await seed.video({ userId: carol });
      const near = await seed.scene({
        videoId: elsewhere,
        userId: carol,
        index: 0,
        transcript: 'x',
        text: { vector: vectorAt(dog, 0.35, 7), model: TEXT_MODEL },
      });
      for (const [i, cos] of [0.05, 0.15, 0.25, 0.29].entries()) {
        await seed.scene({ videoId: elsewhere, userId: carol, index: i + 1, transcript: 'x', text: { vector: vectorAt(dog, cos, 8 + i), model: TEXT_MODEL } });
      }
      const { items } = await ok({ q: 'dog', videoId: elsewhere, modes: 'transcript' }, carolToken);
      expect(items.map((h) => [h.sceneId, h.scores.text])).toEqual([[near, expect.closeTo(0.35, 3)]]);
    });
  });

  describe('filters, people and ownership', () => {
    let mine: string;
    let older: string;
    let processing: string;
    let bobs: string;
    let person: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      mine = await seed.video({ userId: alice, createdAt: new Date('2025-06-01T00:00:00Z') });
      older = await seed.video({ userId: alice, createdAt: new Date('2024-01-01T00:00:00Z') });
      processing = await seed.video({ userId: alice, state: 'processing' });
      bobs = await seed.video({ userId: bob });
      ids.withPerson = await seed.scene({ videoId: mine, userId: alice, index: 0, transcript: 'kayak race start', tags: [{ tag: 'energetic', score: 0.7 }] });
      ids.without = await seed.scene({ videoId: mine, userId: alice, index: 1, transcript: 'kayak race finish', tags: [{ tag: 'calm', score: 0.6 }] });
      ids.old = await seed.scene({ videoId: older, userId: alice, index: 0, transcript: 'kayak lessons', tags: [{ tag: 'energetic', score: 0.9 }] });
      ids.unfinished = await seed.scene({ videoId: processing, userId: alice, index: 0, transcript: 'kayak prototype' });
      ids.bob = await seed.scene({ videoId: bobs, userId: bob, index: 0, transcript: 'kayak secrets' });
      person = await seed.person(alice, 'Maria Lopez');
      await seed.face({ userId: alice, personId: person, videoId: mine, sceneId: ids.withPerson, confidence: 0.97 });
      await seed.face({ userId: alice, personId: person, videoId: older, sceneId: ids.old, confidence: 0.91 });
    });

    it('sees only the caller’s indexed videos', async () => {
      const found = (await ok({ q: 'kayak' })).items.map((h) => h.sceneId);
      expect(found.sort()).toEqual([ids.withPerson, ids.without, ids.old].sort());
      expect((await ok({ q: 'kayak' }, bobToken)).items.map((h) => h.sceneId)).toEqual([ids.bob]);
      expect((await ok({ q: 'secrets' })).items).toEqual([]);
    });

    it("another user's video or person as a filter is 404", async () => {
      await search({ q: 'kayak', videoId: bobs }).expect(404);
      await search({ q: 'kayak', personId: person }, bobToken).expect(404);
      await search({ q: 'kayak', videoId: randomUUID() }).expect(404);
    });

    it('filters by video, person, tags and created time in the query', async () => {
      expect((await ok({ q: 'kayak', videoId: older })).items.map((h) => h.sceneId)).toEqual([ids.old]);
      expect((await ok({ q: 'kayak', personId: person })).items.map((h) => h.sceneId).sort()).toEqual([ids.withPerson, ids.old].sort());
      expect((await ok({ q: 'kayak', tags: 'energetic' })).items.map((h) => h.sceneId).sort()).toEqual([ids.withPerson, ids.old].sort());
      expect((await ok({ q: 'kayak', tags: 'energetic,calm' })).items).toEqual([]);
      expect((await ok({ q: 'kayak', from: '2025-01-01T00:00:00Z' })).items.map((h) => h.sceneId).sort()).toEqual([ids.withPerson, ids.without].sort());
      expect((await ok({ q: 'kayak', to: '2024-12-31T00:00:00Z' })).items.map((h) => h.sceneId)).toEqual([ids.old]);
      await search({ q: 'kayak', from: '2025-01-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }).expect(400);
    });

    it('a person named in the query finds the scenes they appear in', async () => {
      const { items } = await ok({ q: 'maria lopez' });
      expect(items.map((h) => h.sceneId)).toEqual([ids.withPerson, ids.old]);
      expect(items[0]).toMatchObject({ matchedBy: ['person'], scores: { person: 0.97 } });
      expect((await ok({ q: 'maria' })).items).toEqual([]);
    });

    it('without q, a person or tag filter lists their scenes', async () => {
      expect((await ok({ personId: person })).items.map((h) => [h.sceneId, h.matchedBy])).toEqual([
        [ids.withPerson, ['person']],
        [ids.old, ['person']],
      ]);
      expect((await ok({ tags: 'energetic' })).items.map((h) => h.sceneId)).toEqual([ids.old, ids.withPerson]);
    });

    it('sort=date puts the newest video first and scenes in play order', async () => {
      const { items } = await ok({ q: 'kayak', sort: 'date' });
      expect(items.map((h) => h.sceneId)).toEqual([ids.withPerson, ids.without, ids.old]);
    });
  });

  describe('pagination', () => {
    let video: string;

    beforeAll(async () => {
      video = await seed.video({ userId: alice });
      for (let i = 0; i < 7; i++) await seed.scene({ videoId: video, userId: alice, index: i, transcript: `marmalade ${'jar '.repeat(i)}`.trim() });
    });

    it('walks the fused list page by page without repeats or gaps, unchanged by videos indexed meanwhile', async () => {
      const all = (await ok({ q: 'marmalade', limit: 100 })).items.map((h) => h.sceneId);
      expect(all).toHaveLength(7);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Result = await ok({ q: 'marmalade', limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((h) => h.sceneId));
        cursor = page.nextCursor;
        if (pages++ === 0) {
          // Indexed after the first page: it would rank first, but this walk does not see it.
          const late = await seed.video({ userId: alice });
          await seed.scene({ videoId: late, userId: alice, index: 0, transcript: 'marmalade marmalade marmalade' });
        }
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(all);
      expect((await ok({ q: 'marmalade', limit: 100 })).items).toHaveLength(8);
    });

    it('rejects a cursor that is garbage or from another search', async () => {
      const { nextCursor } = await ok({ q: 'marmalade', limit: 2 });
      expect(nextCursor).toEqual(expect.any(String));
      const other = await search({ q: 'jar', limit: 2, cursor: nextCursor! }).expect(400);
      expect(other.body.message).toMatch(/different search/);
      await search({ q: 'marmalade', cursor: 'bm9wZQ' }).expect(400);
    });
  });

  describe('bad queries get a 4xx or an empty result, never a 500', () => {
    it.each([
      ['only punctuation', '!!! ??? ...'],
      ['SQL-looking text', "'; drop table scenes; --"],
      ['an unbalanced quote', '"lighthouse'],
      ['only an exclusion', '-lighthouse'],
      ['operators alone', 'OR OR -'],
      ['tsquery syntax', 'lighthouse & !tour | (:*'],
      ['unicode', '東京 ñandú 🙂'],
      ['placeholders and escapes', "what? $1 ?? \\' \\x00 %s"],
    ])('%s', async (_name, q) => {
      const res = await search({ q });
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.items)).toBe(true);
    });

    it('an empty or 10 kB query is a 400 saying why', async () => {
      expect((await search({ q: '   ' }).expect(400)).body.message).toMatch(/q is required/);
      expect((await search({}).expect(400)).body.message).toMatch(/q is required/);
      expect((await search({ q: 'x'.repeat(10_240) }).expect(400)).body.message).toMatch(/q is at most 500 characters/);
    });

    it('bad parameters are 400', async () => {
      await search({ q: 'a', modes: 'telepathy' }).expect(400);
      await search({ q: 'a', videoId: 'not-a-uuid' }).expect(400);
      await search({ q: 'a', limit: 0 }).expect(400);
      await search({ q: 'a', from: 'yesterday' }).expect(400);
      await search({ q: 'a', sort: 'random' }).expect(400);
      await search({ q: 'a', surprise: 'yes' }).expect(400);
    });

    it('needs a token', async () => {
      await request(stack.baseUrl).get('/v1/search').query({ q: 'a' }).expect(401);
    });
  });

  describe('POST /v1/search/image', () => {
    const upload = (file: Buffer, name = 'pic.png', token = daveToken) =>
      request(stack.baseUrl).post('/v1/search/image').set(bearer(token)).attach('image', file, name);
    const solid = (r: number, g: number, b: number) =>
      sharp({ create: { width: 32, height: 32, channels: 3, background: { r, g, b } } })
        .png()
        .toBuffer();

    it('finds the scenes whose picture looks like the upload, above the cutoff', async () => {
      const red = Array.from((await clip.embedImages([await solid(220, 20, 20)]))[0]);
      const blue = Array.from((await clip.embedImages([await solid(20, 20, 220)]))[0]);
      const video = await seed.video({ userId: dave });
      const redScene = await seed.scene({ videoId: video, userId: dave, index: 0, visual: { vector: red, model: CLIP_MODEL } });
      const blueScene = await seed.scene({ videoId: video, userId: dave, index: 1, visual: { vector: blue, model: CLIP_MODEL } });
      const cosine = red.reduce((a, x, i) => a + x * blue[i], 0);
      const body = (await upload(await solid(200, 30, 30)).expect(200)).body as Result;
      const found = body.items.filter((h) => h.videoId === video);
      expect(found[0]).toMatchObject({ sceneId: redScene, matchedBy: ['visual'] });
      expect(found[0].scores.visual).toBeGreaterThan(0.99);
      // The blue scene is returned only when it is as alike as the cutoff asks.
      expect(found.some((h) => h.sceneId === blueScene)).toBe(cosine >= 0.7);
      expect((await upload(await solid(200, 30, 30), 'pic.png', bobToken).expect(200)).body.items).toEqual([]);
    });

    it('rejects what is not a picture, and pictures over the size limit', async () => {
      expect((await upload(Buffer.from('plain text, not a picture'), 'notes.txt').expect(415)).body.message).toMatch(/not a picture/);
      const big = await sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 1, g: 2, b: 3 } } })
        .png({ compressionLevel: 0 })
        .toBuffer();
      expect(big.length).toBeGreaterThan(20_000);
      await upload(big).expect(413);
      expect((await request(stack.baseUrl).post('/v1/search/image').set(bearer(daveToken)).expect(400)).body.message).toMatch(/field "image"/);
    });
  });
});

/** Without models: full text still works, semantic signals say why they are missing, image search is 503. */
describe('search without models', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { MODEL_DIR: mkdtempSync(join(tmpdir(), 'heimdex-no-models-')) } });
    const user = randomUUID();
    token = await hsToken({ sub: user });
    const seed = await SearchSeed.connect(stack.db.url);
    const video = await seed.video({ userId: user });
    await seed.scene({ videoId: video, userId: user, index: 0, transcript: 'quarterly numbers are up' });
    await seed.close();
  }, 120_000);
  afterAll(() => stack.close());

  it('lexical search alone, and says which signals were unavailable', async () => {
    const body = (await request(stack.baseUrl).get('/v1/search').query({ q: 'quarterly' }).set(bearer(token)).expect(200)).body as Result;
    expect(body.items).toHaveLength(1);
    expect(body.unavailable.map((u) => u.signal)).toEqual(['text', 'visual']);
    expect(body.unavailable[0].reason).toMatch(/text-embedding/);
  });

  it('image search is 503 with the reason', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 9, g: 9, b: 9 } } })
      .png()
      .toBuffer();
    const res = await request(stack.baseUrl).post('/v1/search/image').set(bearer(token)).attach('image', png, 'p.png').expect(503);
    expect(res.body.message).toMatch(/image search needs a CLIP model/);
  });
});
