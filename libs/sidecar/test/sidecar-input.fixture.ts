import type { SidecarInput } from '@heimdex/sidecar';

export const VIDEO_ID = '0b6f4a4e-8a51-4c1e-9a43-0d0f3c1f6a10';
export const SCENE_0_ID = '5d7d3c55-2f0e-4a8b-9a77-3f4b0e8f1a01';
export const SCENE_1_ID = '5d7d3c55-2f0e-4a8b-9a77-3f4b0e8f1a02';
export const FACE_A_ID = 'a1c3e5f7-0b2d-4f6a-8c0e-1a3c5e7f9b01';
export const FACE_B_ID = 'a1c3e5f7-0b2d-4f6a-8c0e-1a3c5e7f9b02';
export const PERSON_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';

const whisper = { name: 'whisper-base', version: '2024-01' };
const minilm = { name: 'all-minilm-l6-v2', version: '1' };
const clip = { name: 'clip-vit-b32', version: '1' };
const faceApi = { name: 'face-api-ssd-mobilenet', version: '1.7.15' };
const centerNet = { name: 'centernet-mb3-coco', version: '3.0.4+letterbox' };
const nsfw = { name: 'nsfwjs-mobilenet-v2', version: '4.4.0' };
const loudness = { name: 'ebur128-loudness', version: '1' };

/** Everything filled in, given out of order and at full precision. */
export function fullInput(): SidecarInput {
  return {
    video: {
      id: VIDEO_ID,
      title: 'Launch demo',
      description: null,
      filename: 'demo.mp4',
      contentType: 'video/mp4',
      durationS: 12.3456789,
      width: 1920,
      height: 1080,
      createdAt: new Date('2026-11-20T10:00:00.000Z'),
    },
    models: {
      asr: whisper,
      textEmbedding: minilm,
      visualEmbedding: clip,
      ocr: { name: 'ppocr-v4', version: '1.4.8' },
      faces: faceApi,
      tags: clip,
      objects: centerNet,
      moderation: nsfw,
    },
    stages: [
      { stage: 'commit', state: 'pending' },
      { stage: 'upload_validate', state: 'completed', reason: '' },
      { stage: 'faces_enroll_match', state: 'skipped', reason: 'no people enrolled' },
      { stage: 'asr_fast', state: 'completed', reason: null },
    ],
    transcript: {
      language: 'en',
      segments: [
        {
          startS: 6.0004,
          endS: 9.9996,
          text: 'Second part.',
          words: [
            { word: 'part.', startS: 7.5, endS: 9.9996, confidence: null },
            { word: 'Second', startS: 6.0004, endS: 7.2, confidence: 0.8 },
          ],
        },
        {
          startS: 0.12345,
          endS: 5.5,
          text: 'Hello there.',
          words: [
            { word: 'there.', startS: 1.25, endS: 5.5, confidence: 0.9 },
            { word: 'Hello', startS: 0.12345, endS: 1.0, confidence: 0.95 },
          ],
        },
      ],
    },
    scenes: [
      {
        index: 1,
        id: SCENE_1_ID,
        startS: 6.0,
        endS: 12.3456789,
        transcript: '',
        words: [],
        ocr: { text: '', lines: [] },
        tags: [],
        faces: [],
        thumbnail: null,
        embeddings: { text: null, visual: null },
      },
      {
        index: 0,
        id: SCENE_0_ID,
        startS: 0,
        endS: 6.0,
        transcript: 'Hello there.',
        words: [
          { word: 'there.', startS: 1.25, endS: 5.5, confidence: 0.9 },
          { word: 'Hello', startS: 0.12345, endS: 1.0, confidence: 0.95 },
        ],
        ocr: {
          text: 'HEIMDEX Launch',
          lines: [
            { text: 'Launch', confidence: 0.88, frameS: 4.0001 },
            { text: 'HEIMDEX', confidence: 0.97, frameS: 1.0 },
          ],
        },
        tags: [
          { tag: 'calm', score: 0.4, source: 'audio_loudness', model: loudness },
          { tag: 'happy', score: 0.9, source: 'face_expression', model: faceApi },
          { tag: 'outdoor', score: 0.7, source: 'clip', model: clip },
        ],
        objects: [
          { label: 'person', confidence: 0.61, count: 1, firstS: 2.00049 },
          { label: 'dog', confidence: 0.83, count: 2, firstS: 1.0 },
        ],
        moderation: { drawing: 0.01, hentai: 0.002, neutral: 0.95, porn: 0.003, sexy: 0.035, rating: 'safe' },
        faces: [
          {
            id: FACE_B_ID,
            personId: null,
            personName: null,
            confidence: null,
            frameS: 4.5,
            box: { x: 700, y: 80, width: 90, height: 110 },
            model: faceApi,
          },
          {
            id: FACE_A_ID,
            personId: PERSON_ID,
            personName: 'Ada',
            confidence: 0.93,
            frameS: 2.0004999,
            box: { x: 100, y: 50, width: 120, height: 140 },
            model: faceApi,
          },
        ],
        thumbnail: `videos/u/${VIDEO_ID}/scenes/0.jpg`,
        embeddings: { text: { model: minilm, dims: 384 }, visual: { model: clip, dims: 512 } },
      },
    ],
  };
}

/** A video nothing could be derived from: no models, no transcript, one bare scene. */
export function bareInput(): SidecarInput {
  return {
    video: {
      id: VIDEO_ID,
      title: null,
      description: null,
      filename: 'silent.webm',
      contentType: 'video/webm',
      durationS: null,
      width: null,
      height: null,
      createdAt: new Date('2026-11-20T10:00:00.000Z'),
    },
    models: {},
    stages: [],
    transcript: null,
    scenes: [
      {
        index: 0,
        id: SCENE_0_ID,
        startS: 0,
        endS: 3,
        transcript: '',
        words: [],
        ocr: { text: '', lines: [] },
        tags: [],
        faces: [],
        thumbnail: null,
        embeddings: { text: null, visual: null },
      },
    ],
  };
}

export const GENERATED_AT = new Date('2026-11-22T08:30:00.000Z');
