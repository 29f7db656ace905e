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
  /** Time of the frame the line was read from: the first analysed frame that showed it. */
  frameS: number;
  /** First and last analysed frame that showed the line (merged across frames); absent on older rows. */
  startS?: number;
  endS?: number;
}

export type TagSource = 'clip' | 'face_expression' | 'audio_loudness';

export interface SceneTag {
  tag: string;
  score: number;
  source: TagSource;
  /** The model (or measure) behind the tag. */
  model: ModelRef;
}

/** A COCO object class seen in a scene: best confidence, most instances in one frame, first time seen. */
export interface SceneObject {
  label: string;
  confidence: number;
  count: number;
  firstS: number;
}

/** Content moderation's class probabilities for a scene: per class the highest over its frames. */
export interface SceneModeration {
  drawing: number;
  hentai: number;
  neutral: number;
  porn: number;
  sexy: number;
}

/** A frame kept from the scene_detect decode pass, in storage: every one is analysed (OCR, faces). */
export interface SceneFrame {
  timeS: number;
  key: string;
  /**
   * One of the few frames (FRAMES_PER_SCENE_MAX) that summarise the whole scene (its CLIP vector);
   * the first of them, nearest the middle, is the thumbnail. Absent on scenes stored before it existed.
   */
  summary?: number;
}
