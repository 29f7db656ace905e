import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LockMode, MikroORM } from '@mikro-orm/postgresql';
import { recordSystemEvent } from '@heimdex/audit';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { AuditOutcome, JobStage, ModelRef, Video, VideoState } from '@heimdex/db';
import type { Availability } from '@heimdex/ml';
import { OutboxDispatcher, startRerun, stagesFrom } from '@heimdex/queue';
import { PeriodicPass } from '../jobs/periodic-pass';
import { ModelEngines } from '../models/model-engines';
import { StageModelRepository } from './stage-model.repository';

/** Each stage whose output a built-in model makes, and that model as this worker loads it. */
const STAGE_MODELS: readonly [JobStage, (m: ModelEngines) => Promise<Availability<{ model: ModelRef }>>][] = [
  [JobStage.AsrFast, (m) => Promise.resolve(m.asr)],
  [JobStage.VisionSampleFrames, (m) => Promise.resolve(m.ocr)],
  [JobStage.FacesEnrollMatch, (m) => Promise.resolve(m.faces)],
  [JobStage.VisionObjects, (m) => m.objects()],
  [JobStage.VisionModeration, (m) => m.moderation()],
  [JobStage.LanguageDetect, (m) => m.language()],
];

/**
 * At start and every MODEL_RERUN_INTERVAL_S: an indexed video whose stage output was made by
 * another name or version of a built-in model than the one loaded here re-runs that stage and
 * everything after it, in the background, as embeddings are re-embedded. Few at a time: only
 * while fewer than MODEL_RERUN_BATCH videos are in the pipeline at all, so uploads go first. The
 * video stays searchable meanwhile (its committed scenes are served until the re-run commits).
 * Idempotent: a re-run video is no longer indexed until its stage holds the loaded model; a
 * failed re-run is not retried here. A model that is off re-runs nothing (the output would be lost).
 */
@Injectable()
export class StageModelScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StageModelScheduler.name);
  private readonly pass = new PeriodicPass(
    async () => {
      const n = await this.schedule();
      if (n) this.logger.log(`${n} indexed video(s) re-running a stage whose model changed`);
    },
    (err) => this.logger.warn(`model re-run pass failed: ${String(err)}`),
  );

  constructor(
    private readonly orm: MikroORM,
    private readonly models: ModelEngines,
    private readonly stageModels: StageModelRepository,
    private readonly outbox: OutboxDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.pass.start(this.config.worker.modelRerunIntervalS * 1000);
  }

  onModuleDestroy(): Promise<void> {
    return this.pass.stop();
  }

  /** One pass; returns how many videos it started re-running. */
  async schedule(): Promise<number> {
    const batch = this.config.worker.modelRerunBatch;
    if (batch <= 0) return 0;
    let started = 0;
    for (const [stage, loaded] of STAGE_MODELS) {
      const em = this.orm.em.fork();
      const slots = batch - (await this.stageModels.videosInPipeline(em));
      if (slots <= 0) break;
      // Only stages some indexed video has output of load their model here (objects, moderation and language load lazily).
      const stored = await this.stageModels.storedModels(em, stage);
      if (!stored.length) continue;
      const current = await loaded(this.models);
      if (!current.available) continue;
      const model = { name: current.engine.model.name, version: current.engine.model.version };
      if (stored.every((m) => m.name === model.name && m.version === model.version)) continue;
      for (const videoId of await this.stageModels.videosWithOtherModel(em, stage, model, slots)) {
        if (await this.rerun(videoId, stage, model)) started++;
      }
    }
    if (started) this.outbox.kick();
    return started;
  }

  private rerun(videoId: string, stage: JobStage, model: ModelRef): Promise<boolean> {
    return this.orm.em.fork().transactional(async (tx) => {
      const video = await tx.findOne(Video, { id: videoId, state: VideoState.Indexed }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      // Checked again under the lock: another worker may have started it, or the owner deleted it.
      if (!video || !(await this.stageModels.madeByOtherModel(tx, videoId, stage, model))) return false;
      await startRerun(tx, video, stagesFrom(stage));
      await recordSystemEvent(tx, {
        action: 'videos.model_rerun',
        resourceType: 'videos',
        resourceId: video.id,
        outcome: AuditOutcome.Success,
        details: { ownerId: video.userId, run: video.pipelineRun, stage, model: `${model.name} ${model.version}` },
      });
      return true;
    });
  }
}
