import type { ModelRef, SceneWord, TranscriptSource } from '@heimdex/db';

/** What asr_fast stores for align_merge and sidecar_build. */
export interface TranscriptArtifact {
  /** Absent in artifacts written before captions existed: speech recognition. */
  source?: TranscriptSource;
  model: ModelRef;
  language: string | null;
  segments: { startS: number; endS: number; text: string; words: SceneWord[] }[];
}
