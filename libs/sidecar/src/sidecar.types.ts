/**
 * Sidecar v1: the JSON document the sidecar_build stage writes for each indexed video. Its
 * published form is schemas/sidecar.v1.schema.json; the two change together. Times are in
 * seconds from the start of the video, rounded to milliseconds.
 */

export const SIDECAR_SCHEMA_ID = 'https://heimdex.dev/schemas/sidecar.v1.json';
export const SIDECAR_SCHEMA_VERSION = '1.1';

/** Pipeline stages in pipeline order: the job_stage values, restated so the sidecar does not depend on the database lib. */
export const SIDECAR_STAGE_NAMES = [
  'upload_validate',
  'audio_extract',
  'asr_fast',
  'scene_detect',
  'align_merge',
  'embed_text',
  'vision_sample_frames',
  'vision_embed_frames',
  'vision_affect_tags',
  'faces_enroll_match',
  'vision_objects',
  'vision_moderation',
  'language_detect',
  'sidecar_build',
  'commit',
] as const;
export type SidecarStageName = (typeof SIDECAR_STAGE_NAMES)[number];

export const SIDECAR_STAGE_STATES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'skipped'] as const;
export type SidecarStageState = (typeof SIDECAR_STAGE_STATES)[number];

/** The features a model can stand behind; `models` names one model (or none) per feature. */
export const SIDECAR_MODEL_FEATURES = ['asr', 'textEmbedding', 'visualEmbedding', 'ocr', 'faces', 'tags', 'objects', 'moderation', 'language'] as const;
export type SidecarModelFeature = (typeof SIDECAR_MODEL_FEATURES)[number];

export const SIDECAR_TAG_SOURCES = ['clip', 'face_expression', 'audio_loudness'] as const;
export type SidecarTagSource = (typeof SIDECAR_TAG_SOURCES)[number];

export interface SidecarModelRef {
  name: string;
  version: string;
}

/** `null`: the feature produced nothing for this video (disabled, skipped or no model installed). */
export type SidecarModels = { [F in SidecarModelFeature]: SidecarModelRef | null };

export interface SidecarStage {
  stage: SidecarStageName;
  state: SidecarStageState;
  /** Why a stage was skipped (or what else it wants the reader to know); absent when there is nothing to say. */
  reason?: string;
}

export interface SidecarVideo {
  id: string;
  title: string | null;
  description: string | null;
  filename: string;
  contentType: string;
  durationS: number | null;
  width: number | null;
  height: number | null;
  /** ISO 8601. */
  createdAt: string;
  /** Since 1.1: the strictest rating of the video's scenes; null when not rated. */
  contentRating?: SidecarContentRating | null;
}

export type SidecarContentRating = 'safe' | 'questionable' | 'explicit';

/** Since 1.1: content moderation of a scene (model: `models.moderation`); class scores are the highest over its frames. */
export interface SidecarModeration {
  drawing: number;
  hentai: number;
  neutral: number;
  porn: number;
  sexy: number;
  rating: SidecarContentRating | null;
}

export interface SidecarWord {
  word: string;
  startS: number;
  endS: number;
  /** 0..1; null when the recogniser gives none. */
  confidence: number | null;
}

export interface SidecarSegment {
  startS: number;
  endS: number;
  text: string;
  words: SidecarWord[];
}

export interface SidecarTranscript {
  /** ISO 639-1 when known. */
  language: string | null;
  /** `captions`: cues of a caption file (embedded or uploaded); `asr`: speech recognition; null: no transcript. */
  source: 'captions' | 'asr' | null;
  model: SidecarModelRef | null;
  segments: SidecarSegment[];
  /** Why there are no segments (speech recognition skipped or failed, or it heard nothing); absent when there are some. */
  note?: string;
}

export interface SidecarOcrLine {
  text: string;
  /** 0..1 */
  confidence: number;
  /** Time of the frame the line was read from. */
  frameS: number;
}

export interface SidecarOcr {
  text: string;
  lines: SidecarOcrLine[];
  model: SidecarModelRef | null;
}

/** A COCO object class in a scene (since 1.1); its model is `models.objects`. */
export interface SidecarObject {
  label: string;
  confidence: number;
  /** The most instances seen in one frame. */
  count: number;
  /** The first frame it was seen in. */
  firstS: number;
}

export interface SidecarTag {
  tag: string;
  /** 0..1 */
  score: number;
  source: SidecarTagSource;
  /** The model (or measure, for loudness) behind the tag. */
  model: SidecarModelRef;
}

export interface SidecarBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SidecarFace {
  id: string;
  personId: string | null;
  personName: string | null;
  /** 0..1; null when none was measured. */
  confidence: number | null;
  frameS: number;
  box: SidecarBox;
  model: SidecarModelRef;
}

/** Which model embedded the scene and the vector's size; the vector itself stays in the database. */
export interface SidecarEmbedding {
  model: SidecarModelRef;
  dims: number;
}

export interface SidecarScene {
  index: number;
  id: string;
  startS: number;
  endS: number;
  transcript: string;
  /** Where this scene's transcript came from; null when it has no words. */
  transcriptSource: 'captions' | 'asr' | null;
  /** The transcript's words inside this scene, in time order. */
  words: SidecarWord[];
  ocr: SidecarOcr;
  tags: SidecarTag[];
  objects: SidecarObject[];
  moderation: SidecarModeration | null;
  /** Since 1.1: ISO 639-1 of the scene's transcript and on-screen text (model: `models.language`); null: unknown. */
  language: string | null;
  faces: SidecarFace[];
  /** Storage key of the scene's thumbnail. */
  thumbnail: string | null;
  embeddings: { text: SidecarEmbedding | null; visual: SidecarEmbedding | null };
}

export interface Sidecar {
  $schema: typeof SIDECAR_SCHEMA_ID;
  schemaVersion: typeof SIDECAR_SCHEMA_VERSION;
  /** ISO 8601. */
  generatedAt: string;
  video: SidecarVideo;
  models: SidecarModels;
  /** Every pipeline stage of the run, in pipeline order. */
  stages: SidecarStage[];
  transcript: SidecarTranscript;
  /** In index order. */
  scenes: SidecarScene[];
}
