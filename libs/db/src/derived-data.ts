/** Shapes of the JSON columns the pipeline fills, defined once for the worker, the API and the sidecar. */

export interface ModelRef {
  name: string;
  version: string;
}

/** Where a transcript's words come from: caption cues (embedded or uploaded) or speech recognition. */
export type TranscriptSource = 'captions' | 'asr';

export interface SceneWord {
  word: string;
  startS: number;
  endS: number;
  confidence: number | null;
}

export interface SceneOcrLine {
  text: string;
  confidence: number;
  /** Time of the frame the line was read from. */
  frameS: number;
}

export type TagSource = 'clip' | 'face_expression' | 'audio_loudness';

export interface SceneTag {
  tag: string;
  score: number;
  source: TagSource;
  /** The model (or measure) behind the tag. */
  model: ModelRef;
}

/** A frame kept from the scene_detect decode pass, in storage. */
export interface SceneFrame {
  timeS: number;
  key: string;
}
