import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Job, UnrecoverableError } from 'bullmq';
import { JobState, PipelineJob, Video, VideoState } from '@heimdex/db';
import { enqueueInTransaction, JobName, jobNameForStage, nextStage, OutboxDispatcher, StageJobPayload } from '@heimdex/queue';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermanentStageError, PipelineStage } from './pipeline-stage';

/**
 * Runs one stage for one video and keeps its bookkeeping: the stage row's state, attempts and
 * timings; the next stage through the outbox; the video's failure. Transient errors are
 * rethrown so BullMQ retries them with backoff; nothing is swallowed.
 */
@Injectable()
export class StageRunner {
  private readonly logger = new Logger(StageRunner.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxDispatcher,
  ) {}

  async run(stage: PipelineStage, payload: StageJobPayload, job: Job): Promise<void> {
    const em = this.orm.em.fork();
    const video = await em.findOne(Video, { id: payload.videoId });
    if (!video || video.state === VideoState.Deleted || video.pipelineRun !== payload.run) {
      this.logger.log(`${stage.stage} for ${payload.videoId} run ${payload.run}: stale or deleted, nothing to do`);
      return;
    }
    const row = await em.findOne(PipelineJob, { video: video.id, stage: stage.stage });
    if (!row || row.state === JobState.Completed || row.state === JobState.Skipped || row.state === JobState.Cancelled) return;

    row.state = JobState.Running;
    row.attempts = job.attemptsMade + 1;
    row.startedAt = new Date();
    row.error = null;
    await em.flush();

    const workDir = await mkdtemp(join(tmpdir(), `heimdex-${stage.stage}-`));
    try {
      const result = await stage.run({ video, workDir });
      await this.succeed(em, video, row, result.status === 'skipped' ? result.reason : null);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const lastAttempt = row.attempts >= (job.opts.attempts ?? 1);
      if (err instanceof PermanentStageError || lastAttempt) {
        const reason = err instanceof PermanentStageError ? message : `gave up after ${row.attempts} attempts: ${message}`;
        await this.fail(video, stage, reason);
        throw new UnrecoverableError(reason);
      }
      await this.orm.em.fork().nativeUpdate(PipelineJob, { id: row.id }, { state: JobState.Pending, error: `attempt ${row.attempts} failed, will retry: ${message}` });
      throw err;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async succeed(em: EntityManager, video: Video, row: PipelineJob, skipReason: string | null): Promise<void> {
    await em.transactional(async (tx) => {
      // The video may have been deleted or reprocessed while the stage ran.
      const current = await tx.findOne(Video, { id: video.id, pipelineRun: video.pipelineRun, state: { $ne: VideoState.Deleted } });
      if (!current) return;
      const fresh = await tx.findOneOrFail(PipelineJob, { id: row.id });
      fresh.state = skipReason ? JobState.Skipped : JobState.Completed;
      fresh.error = skipReason;
      fresh.finishedAt = new Date();
      const next = nextStage(row.stage);
      if (next) enqueueInTransaction(tx, jobNameForStage(next) as JobName.UploadValidate, { videoId: video.id, run: video.pipelineRun });
    });
    this.outbox.kick();
  }

  /** Scoped to this run: a stale job must not fail a video that was reprocessed meanwhile. */
  private async fail(video: Video, stage: PipelineStage, reason: string): Promise<void> {
    this.logger.warn(`${stage.stage} failed for video ${video.id}: ${reason}`);
    const run = video.pipelineRun;
    await this.orm.em.fork().transactional(async (tx) => {
      const updated = await tx.nativeUpdate(
        Video,
        { id: video.id, pipelineRun: run, state: { $ne: VideoState.Deleted } },
        { state: VideoState.Failed, error: `${stage.stage}: ${reason}` },
      );
      if (!updated) return;
      await tx.nativeUpdate(PipelineJob, { video: video.id, stage: stage.stage, pipelineRun: run }, { state: JobState.Failed, error: reason, finishedAt: new Date() });
      await tx.nativeUpdate(PipelineJob, { video: video.id, state: JobState.Pending, pipelineRun: run }, { state: JobState.Cancelled });
    });
  }
}
