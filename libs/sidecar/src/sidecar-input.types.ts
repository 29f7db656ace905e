import type {
  SidecarEmbedding,
  SidecarFace,
  SidecarModelFeature,
  SidecarModelRef,
  SidecarOcrLine,
  SidecarStageName,
  SidecarStageState,
  SidecarModeration,
  SidecarObject,
  SidecarTag,
  SidecarVideo,
  SidecarWord,
} from './sidecar.types';

/**
 * What the sidecar_build stage hands to buildSidecar: the sidecar's content in any order and
 * at full time precision. Only the fields named here are copied, so entities with more fields
 * can be passed as they are.
 */
export interface SidecarInput {
  video: SidecarVideoInput;
  /** A feature left out (or null) had no model behind it. */
  models: { readonly [F in SidecarModelFeature]?: SidecarModelRef | null };
  stages: readonly SidecarStageInput[];
  /** null: no transcript (no audio, ASR skipped). Its model is `models.asr`. */
  transcript: SidecarTranscriptInput | null;
  scenes: readonly SidecarSceneInput[];
}

export interface SidecarVideoInput extends Omit<SidecarVideo, 'createdAt'> {
  createdAt: Date;
}

export interface SidecarStageInput {
  stage: SidecarStageName;
  state: SidecarStageState;
  /** Empty or null: nothing to say. */
  reason?: string | null;
}

export interface SidecarTranscriptInput {
  language: string | null;
  /** Absent: speech recognition. */
  source?: 'captions' | 'asr';
  segments: readonly SidecarSegmentInput[];
}

export interface SidecarSegmentInput {
  startS: number;
  endS: number;
  text: string;
  words: readonly SidecarWord[];
}

export interface SidecarSceneInput {
  index: number;
  id: string;
  startS: number;
  endS: number;
  transcript: string;
  /** Absent: `asr` when the scene has words, else null. */
  transcriptSource?: 'captions' | 'asr' | null;
  words: readonly SidecarWord[];
  /** The OCR model is `models.ocr`. */
  ocr: { text: string; lines: readonly SidecarOcrLine[] };
  tags: readonly SidecarTag[];
  /** The object model is `models.objects`; absent: none detected. */
  objects?: readonly SidecarObject[];
  /** Absent or null: not moderated. */
  moderation?: SidecarModeration | null;
  language?: string | null;
  faces: readonly SidecarFace[];
  /** Storage key of the scene's thumbnail. */
  thumbnail: string | null;
  embeddings: { text: SidecarEmbedding | null; visual: SidecarEmbedding | null };
}
