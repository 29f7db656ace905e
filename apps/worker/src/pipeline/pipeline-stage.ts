import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobStage, ModelRef, Video } from '@heimdex/db';
import type { MediaRunLimits } from '@heimdex/media';

export interface StageContext {
  video: Video;
  /** A scratch folder for this attempt, removed afterwards. */
  workDir: string;
  /**
   * Writes in one transaction that holds the video's row lock and first checks the video is
   * still on this run and neither deleted nor failed; otherwise throws StaleRunError and
   * nothing is written. Every stage writes through this, so a deleted or reprocessed video
   * never gets rows from an old run.
   */
  write<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T>;
  /** Aborted when the video is deleted, fails elsewhere or is reprocessed while the stage runs. */
  signal: AbortSignal;
  /** Bounds for this stage's ffmpeg/ffprobe children (memory, time scaled to the video, `signal`). */
  mediaLimits: MediaRunLimits;
}

export type StageResult =
  | {
      status: 'completed';
      model?: ModelRef | null;
      note?: string | null;
      /** Runs in the transaction that marks this stage done (commit uses it to flip the video to indexed). */
      finalize?: (tx: EntityManager) => Promise<void>;
    }
  | { status: 'skipped'; reason: string };

/** One pipeline stage: idempotent, so a retry or a restarted worker can run it again safely. */
export interface PipelineStage {
  readonly stage: JobStage;
  run(ctx: StageContext): Promise<StageResult>;
}

/** The input itself is bad (corrupt media...): retrying cannot help. The message is shown to the user. */
export class PermanentStageError extends Error {
  override readonly name = 'PermanentStageError';
}

/** The video was deleted, failed or reprocessed while this stage ran: its work is dropped. */
export class StaleRunError extends Error {
  override readonly name = 'StaleRunError';
}
