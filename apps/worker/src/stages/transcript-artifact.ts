import type { ModelRef, SceneWord } from '@heimdex/db';

/** What asr_fast stores for align_merge and sidecar_build. */
export interface TranscriptArtifact {
  model: ModelRef;
  language: string | null;
  segments: { startS: number; endS: number; text: string; words: SceneWord[] }[];
}
