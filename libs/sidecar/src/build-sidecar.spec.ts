import { buildSidecar, type Sidecar, type SidecarInput } from '@heimdex/sidecar';
import { bareInput, FACE_A_ID, FACE_B_ID, fullInput, GENERATED_AT, PERSON_ID, SCENE_0_ID, SCENE_1_ID, VIDEO_ID } from '../test/sidecar-input.fixture';

const clip = { name: 'clip-vit-b32', version: '1' };
const faceApi = { name: 'face-api-ssd-mobilenet', version: '1.7.15' };
const minilm = { name: 'all-minilm-l6-v2', version: '1' };

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function withoutGeneratedAt(doc: Sidecar): Omit<Sidecar, 'generatedAt'> {
  const { generatedAt: _, ...rest } = doc;
  return rest;
}

describe('buildSidecar', () => {
  it('orders, rounds and names the model behind every derived field', () => {
    expect(buildSidecar(fullInput(), GENERATED_AT)).toStrictEqual({
      $schema: 'https://heimdex.dev/schemas/sidecar.v1.json',
      schemaVersion: '1.1',
      generatedAt: '2026-11-22T08:30:00.000Z',
      video: {
        id: VIDEO_ID,
        title: 'Launch demo',
        description: null,
        filename: 'demo.mp4',
        contentType: 'video/mp4',
        durationS: 12.346,
        width: 1920,
        height: 1080,
        createdAt: '2026-11-20T10:00:00.000Z',
        contentRating: null,
      },
      models: {
        asr: { name: 'whisper-base', version: '2024-01' },
        textEmbedding: minilm,
        visualEmbedding: clip,
        ocr: { name: 'ppocr-v4', version: '1.4.8' },
        faces: faceApi,
        tags: clip,
        objects: { name: 'centernet-mb3-coco', version: '3.0.4+letterbox' },
        moderation: { name: 'nsfwjs-mobilenet-v2', version: '4.4.0' },
        language: null,
      },
      stages: [
        { stage: 'upload_validate', state: 'completed' },
        { stage: 'asr_fast', state: 'completed' },
        { stage: 'faces_enroll_match', state: 'skipped', reason: 'no people enrolled' },
        { stage: 'commit', state: 'pending' },
      ],
      transcript: {
        language: 'en',
        source: 'asr',
        model: { name: 'whisper-base', version: '2024-01' },
        segments: [
          {
            startS: 0.123,
            endS: 5.5,
            text: 'Hello there.',
            words: [
              { word: 'Hello', startS: 0.123, endS: 1, confidence: 0.95 },
              { word: 'there.', startS: 1.25, endS: 5.5, confidence: 0.9 },
            ],
          },
          {
            startS: 6,
            endS: 10,
            text: 'Second part.',
            words: [
              { word: 'Second', startS: 6, endS: 7.2, confidence: 0.8 },
              { word: 'part.', startS: 7.5, endS: 10, confidence: null },
            ],
          },
        ],
      },
      scenes: [
        {
          index: 0,
          id: SCENE_0_ID,
          startS: 0,
          endS: 6,
          transcript: 'Hello there.',
          transcriptSource: 'asr',
          words: [
            { word: 'Hello', startS: 0.123, endS: 1, confidence: 0.95 },
            { word: 'there.', startS: 1.25, endS: 5.5, confidence: 0.9 },
          ],
          ocr: {
            text: 'HEIMDEX Launch',
            lines: [
              { text: 'HEIMDEX', confidence: 0.97, frameS: 1 },
              { text: 'Launch', confidence: 0.88, frameS: 4 },
            ],
            model: { name: 'ppocr-v4', version: '1.4.8' },
          },
          tags: [
            { tag: 'happy', score: 0.9, source: 'face_expression', model: faceApi },
            { tag: 'outdoor', score: 0.7, source: 'clip', model: clip },
            { tag: 'calm', score: 0.4, source: 'audio_loudness', model: { name: 'ebur128-loudness', version: '1' } },
          ],
          objects: [
            { label: 'dog', confidence: 0.83, count: 2, firstS: 1 },
            { label: 'person', confidence: 0.61, count: 1, firstS: 2 },
          ],
          language: null,
          moderation: { drawing: 0.01, hentai: 0.002, neutral: 0.95, porn: 0.003, sexy: 0.035, rating: 'safe' },
          faces: [
            {
              id: FACE_A_ID,
              personId: PERSON_ID,
              personName: 'Ada',
              confidence: 0.93,
              frameS: 2,
              box: { x: 100, y: 50, width: 120, height: 140 },
              model: faceApi,
            },
            {
              id: FACE_B_ID,
              personId: null,
              personName: null,
              confidence: null,
              frameS: 4.5,
              box: { x: 700, y: 80, width: 90, height: 110 },
              model: faceApi,
            },
          ],
          thumbnail: `videos/u/${VIDEO_ID}/scenes/0.jpg`,
          embeddings: { text: { model: minilm, dims: 384 }, visual: { model: clip, dims: 512 } },
        },
        {
          index: 1,
          id: SCENE_1_ID,
          startS: 6,
          endS: 12.346,
          transcript: '',
          transcriptSource: null,
          words: [],
          ocr: { text: '', lines: [], model: { name: 'ppocr-v4', version: '1.4.8' } },
          tags: [],
          language: null,
          objects: [],
          moderation: null,
          faces: [],
          thumbnail: null,
          embeddings: { text: null, visual: null },
        },
      ],
    });
  });

  it('invents nothing: missing models are null, no transcript is an empty one, empty lists stay empty', () => {
    expect(buildSidecar(bareInput(), GENERATED_AT)).toStrictEqual({
      $schema: 'https://heimdex.dev/schemas/sidecar.v1.json',
      schemaVersion: '1.1',
      generatedAt: '2026-11-22T08:30:00.000Z',
      video: {
        id: VIDEO_ID,
        title: null,
        description: null,
        filename: 'silent.webm',
        contentType: 'video/webm',
        durationS: null,
        width: null,
        height: null,
        createdAt: '2026-11-20T10:00:00.000Z',
        contentRating: null,
      },
      models: { asr: null, textEmbedding: null, visualEmbedding: null, ocr: null, faces: null, tags: null, objects: null, moderation: null, language: null },
      stages: [],
      transcript: { language: null, source: null, model: null, segments: [], note: 'no transcript: speech recognition did not run' },
      scenes: [
        {
          index: 0,
          id: SCENE_0_ID,
          startS: 0,
          endS: 3,
          transcript: '',
          transcriptSource: null,
          words: [],
          ocr: { text: '', lines: [], model: null },
          tags: [],
          language: null,
          objects: [],
          moderation: null,
          faces: [],
          thumbnail: null,
          embeddings: { text: null, visual: null },
        },
      ],
    });
  });

  it('is deterministic: the same content in any order gives the same document, apart from generatedAt', () => {
    const first = buildSidecar(fullInput());
    const shuffled = fullInput();
    const reversed: SidecarInput = {
      ...shuffled,
      stages: [...shuffled.stages].reverse(),
      transcript: shuffled.transcript && {
        ...shuffled.transcript,
        segments: [...shuffled.transcript.segments].reverse().map((s) => ({ ...s, words: [...s.words].reverse() })),
      },
      scenes: [...shuffled.scenes].reverse().map((s) => ({ ...s, words: [...s.words].reverse() })),
    };
    const second = buildSidecar(reversed, new Date(Date.now() + 60_000));

    expect(second.generatedAt).not.toBe(first.generatedAt);
    expect(JSON.stringify(withoutGeneratedAt(second))).toBe(JSON.stringify(withoutGeneratedAt(first)));
    expect(JSON.stringify(buildSidecar(fullInput(), GENERATED_AT))).toBe(JSON.stringify(buildSidecar(fullInput(), GENERATED_AT)));
  });

  it('copies only the sidecar fields of what it is given, and leaves the input untouched', () => {
    const input = fullInput();
    const entityLike = { ...input.video, userId: 'someone', storageKey: 'videos/secret.mp4' };
    const withExtras: SidecarInput = deepFreeze({ ...input, video: entityLike });

    const doc = buildSidecar(withExtras, GENERATED_AT);

    expect(Object.keys(doc.video)).toEqual([
      'id',
      'title',
      'description',
      'filename',
      'contentType',
      'durationS',
      'width',
      'height',
      'createdAt',
      'contentRating',
    ]);
    expect(JSON.stringify(doc)).not.toContain('secret');
    expect(withExtras.scenes[0].index).toBe(1);
  });
});
