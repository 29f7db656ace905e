import type { JobStage, Video } from '@heimdex/db';

export interface StageContext {
  video: Video;
  /** A scratch folder for this attempt, removed afterwards. */
  workDir: string;
}

export type StageResult = { status: 'completed' } | { status: 'skipped'; reason: string };

/** One pipeline stage: idempotent, so a retry or a restarted worker can run it again safely. */
export interface PipelineStage {
  readonly stage: JobStage;
  run(ctx: StageContext): Promise<StageResult>;
}

/** The input itself is bad (corrupt media...): retrying cannot help. The message is shown to the user. */
export class PermanentStageError extends Error {
  override readonly name = 'PermanentStageError';
}
