import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, LockMode, MikroORM } from '@mikro-orm/postgresql';
import { Job, UnrecoverableError } from 'bullmq';
import { recordSystemEvent } from '@heimdex/audit';
import { AuditOutcome, JobStage, JobState, PipelineJob, Video, VideoState, DONE_JOB_STATES } from '@heimdex/db';
import { enqueueInTransaction, jobNameForStage, OutboxDispatcher, readyStages, StageJobPayload } from '@heimdex/queue';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { MediaCancelledError, MediaLimitError, mediaLimitsFor } from '@heimdex/media';
import { OBJECT_STORAGE, ObjectStorage, videoKeys } from '@heimdex/storage';
import { userFacingReason } from '@heimdex/observability';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { PermanentStageError, PipelineStage, StageContext, StageResult, StaleRunError } from './pipeline-stage';
import { formatStageCpu, StageCpuMeter } from './stage-cpu';
import { StageGate } from './stage-gate';
import { stageWorkDirPrefix } from './stage-work-dirs';

const LIVE_STATES = [VideoState.Validating, VideoState.Processing];
/** How often a running stage checks that its video is still live on its run (deleted, failed elsewhere, reprocessed). */
const RUN_WATCH_MS = 1000;

/**
 * Runs one stage for one video and keeps its bookkeeping: the stage row's state, attempts,
 * timings and model; the stages that become ready, through the outbox; the video's failure.
 * Transient errors are rethrown so BullMQ retries them with backoff; nothing is swallowed.
 */
@Injectable()
export class StageRunner {
  private readonly logger = new Logger(StageRunner.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: OutboxDispatcher,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly metrics: WorkerMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gate: StageGate,
  ) {}

  async run(stage: PipelineStage, payload: StageJobPayload, job: Job): Promise<void> {
    const em = this.orm.em.fork();
    const video = await em.findOne(Video, { id: payload.videoId });
    if (!video || !LIVE_STATES.includes(video.state) || video.pipelineRun !== payload.run) {
      this.logger.log(`${stage.stage} for ${payload.videoId} run ${payload.run}: stale, deleted or failed, nothing to do`);
      return;
    }
    const row = await em.findOne(PipelineJob, { video: video.id, stage: stage.stage });
    if (!row || (row.state !== JobState.Pending && row.state !== JobState.Running)) return;

    row.state = JobState.Running;
    row.attempts = job.attemptsMade + 1;
    row.startedAt = new Date();
    row.error = null;
    await em.flush();
    await this.gate.pass(stage.stage);

    const workDir = await mkdtemp(join(tmpdir(), stageWorkDirPrefix(stage.stage)));
    const abort = new AbortController();
    const watch = this.watchRun(video, abort);
    const mediaLimits = mediaLimitsFor(this.config.media.limits, video.durationS, abort.signal);
    const ctx: StageContext = { video, workDir, write: (fn) => this.writeScoped(video, fn), signal: abort.signal, mediaLimits };
    const timed = this.metrics.stageTimer(stage.stage);
    const cpu = new StageCpuMeter();
    try {
      const result = await cpu.run(() => stage.run(ctx));
      await this.succeed(video, stage.stage, result);
      timed(result.status);
    } catch (err) {
      if (err instanceof StaleRunError || err instanceof MediaCancelledError) {
        this.logger.log(`${stage.stage} for ${video.id}: ${err.message}; its work is dropped`);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const lastAttempt = row.attempts >= (job.opts.attempts ?? 1);
      // A child killed at its memory or time limit would be killed again: no retry.
      const permanent = err instanceof PermanentStageError || err instanceof MediaLimitError;
      timed(permanent || lastAttempt ? 'failed' : 'retry');
      if (permanent || lastAttempt) {
        const reason = permanent ? message : `gave up after ${row.attempts} attempts: ${message}`;
        await this.fail(video, stage.stage, reason);
        throw new UnrecoverableError(reason);
      }
      await this.orm.em
        .fork()
        .nativeUpdate(
          PipelineJob,
          { id: row.id, state: JobState.Running },
          { state: JobState.Pending, error: `attempt ${row.attempts} failed, will retry: ${userFacingReason(message)}` },
        );
      throw err;
    } finally {
      clearInterval(watch);
      this.logger.log(formatStageCpu(stage.stage, video.id, cpu.stop()));
      await rm(workDir, { recursive: true, force: true });
      await this.stoppedForDeletedVideo(video, row);
    }
  }

  /**
   * Aborts `abort` (which kills the stage's media children) once the video is deleted, failed
   * by a parallel stage or moved to another run. A failed check (database busy) is only retried.
   */
  private watchRun(video: Video, abort: AbortController): NodeJS.Timeout {
    let checking = false;
    const timer = setInterval(() => {
      if (checking || abort.signal.aborted) return;
      checking = true;
      this.orm.em
        .fork()
        .count(Video, { id: video.id, pipelineRun: video.pipelineRun, state: { $in: LIVE_STATES } })
        .then((live) => {
          if (live) return;
          this.logger.log(`video ${video.id} was deleted, failed or reprocessed: cancelling its running stage`);
          abort.abort();
        })
        .catch(() => undefined)
        .finally(() => (checking = false));
    }, RUN_WATCH_MS);
    return timer.unref();
  }

  /**
   * A deleted video's purge waits while any of its stages is `running` (a delete leaves those to
   * their runner), so it never deletes objects a stage is still writing. Once this stage stopped,
   * its row says so; should the purge have stopped waiting already (a stage slower to stop than
   * it waits), the last of the video's stages to stop removes what they wrote since.
   */
  private async stoppedForDeletedVideo(video: Video, row: PipelineJob): Promise<void> {
    const em = this.orm.em.fork();
    const current = await em.findOne(Video, { id: video.id }, { fields: ['state'] });
    if (current && current.state !== VideoState.Deleted) return;
    await em.nativeUpdate(
      PipelineJob,
      { id: row.id, state: JobState.Running, pipelineRun: video.pipelineRun },
      { state: JobState.Cancelled, finishedAt: new Date() },
    );
    if (await em.count(PipelineJob, { video: video.id, state: JobState.Running })) return;
    const removed = await this.storage.deletePrefix(videoKeys.prefix(video.userId, video.id));
    if (removed) this.logger.log(`removed ${removed} object(s) written for deleted video ${video.id} after its purge`);
  }

  private writeScoped<T>(video: Video, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(async (tx) => {
      await this.lockLiveVideo(tx, video);
      return fn(tx);
    });
  }

  private async lockLiveVideo(tx: EntityManager, video: Video): Promise<Video> {
    const current = await tx.findOne(
      Video,
      { id: video.id, pipelineRun: video.pipelineRun, state: { $in: LIVE_STATES } },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!current) throw new StaleRunError(`video ${video.id} is no longer on run ${video.pipelineRun}`);
    return current;
  }

  /**
   * Marks the stage done and enqueues the stages that were waiting only for it. The video row
   * lock serialises two parallel stages finishing together, so the later one always sees both
   * done; a job enqueued twice is deduplicated by its deterministic id.
   */
  private async succeed(video: Video, stage: JobStage, result: StageResult): Promise<void> {
    await this.orm.em.fork().transactional(async (tx) => {
      const current = await this.lockLiveVideo(tx, video);
      const rows = await tx.find(PipelineJob, { video: video.id });
      const row = rows.find((r) => r.stage === stage);
      if (!row) return;
      row.state = result.status === 'skipped' ? JobState.Skipped : JobState.Completed;
      row.error = result.status === 'skipped' ? userFacingReason(result.reason) : null;
      row.model = result.status === 'completed' ? (result.model ?? null) : null;
      row.note = result.status === 'completed' ? (result.note ?? null) : null;
      row.finishedAt = new Date();
      // Through the managed entity, so the flush writes it with the stage rows in one statement batch.
      if (current.state === VideoState.Validating && stage === JobStage.UploadValidate) current.state = VideoState.Processing;
      if (result.status === 'completed' && result.finalize) await result.finalize(tx);
      const done = new Set(rows.filter((r) => DONE_JOB_STATES.has(r.state)).map((r) => r.stage));
      const open = new Set(rows.filter((r) => r.state === JobState.Pending).map((r) => r.stage));
      for (const next of readyStages(done, open)) {
        enqueueInTransaction(tx, jobNameForStage(next), { videoId: video.id, run: video.pipelineRun });
      }
    });
    this.outbox.kick();
  }

  /** Scoped to this run: a stale job must not fail a video that was reprocessed meanwhile. */
  private async fail(video: Video, stage: JobStage, internalReason: string): Promise<void> {
    this.logger.warn(`${stage} failed for video ${video.id}: ${internalReason}`);
    const reason = userFacingReason(internalReason);
    const run = video.pipelineRun;
    await this.orm.em.fork().transactional(async (tx) => {
      const updated = await tx.nativeUpdate(
        Video,
        { id: video.id, pipelineRun: run, state: { $in: LIVE_STATES } },
        { state: VideoState.Failed, error: `${stage}: ${reason}` },
      );
      if (!updated) return;
      await tx.nativeUpdate(PipelineJob, { video: video.id, stage, pipelineRun: run }, { state: JobState.Failed, error: reason, finishedAt: new Date() });
      // Parallel branches stop too: a running stage's work is dropped when it tries to write.
      await tx.nativeUpdate(
        PipelineJob,
        { video: video.id, state: { $in: [JobState.Pending, JobState.Running] }, pipelineRun: run },
        { state: JobState.Cancelled, finishedAt: new Date() },
      );
      await recordSystemEvent(tx, {
        action: 'videos.failed',
        resourceType: 'videos',
        resourceId: video.id,
        outcome: AuditOutcome.Error,
        details: { ownerId: video.userId, run, stage, reason },
      });
    });
  }
}
