import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { FilterQuery, MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JobStage, OutboxMessage, PipelineJob, Video, VideoState } from '@heimdex/db';
import { jobIdFor, jobNameForStage, QueueRegistry, stagesDue } from '@heimdex/queue';
import { PeriodicPass } from '../jobs/periodic-pass';

const LIVE_STATES = [VideoState.Validating, VideoState.Processing];
const PAGE = 200;

/**
 * The database is the pipeline's source of truth; Redis only carries its jobs and may lose them
 * (a restart without persistence drops every job dispatched from the outbox since the last save).
 * At start and every PIPELINE_RECONCILE_MS this re-enqueues each stage that the database says is
 * running, or pending with its inputs done, but that no queue holds: the job id is the
 * deterministic one, so a job that exists is never doubled, and the stage runner's run fencing
 * turns a job for a stage that finished meanwhile into a no-op.
 */
@Injectable()
export class PipelineReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PipelineReconciler.name);
  private readonly pass = new PeriodicPass(
    async () => {
      const n = await this.reconcile();
      if (n) this.logger.warn(`re-enqueued ${n} pipeline job(s) the database expects but no queue held`);
    },
    (err) => this.logger.warn(`pipeline reconcile pass failed, next in ${this.config.worker.reconcileMs} ms: ${String(err)}`),
  );

  constructor(
    private readonly orm: MikroORM,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.pass.start(this.config.worker.reconcileMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.pass.stop();
  }

  /** One pass over every live video; returns how many jobs were enqueued again. */
  async reconcile(): Promise<number> {
    let requeued = 0;
    let after: string | null = null;
    for (;;) {
      const em = this.orm.em.fork();
      const where: FilterQuery<Video> = after ? { state: { $in: LIVE_STATES }, id: { $gt: after } } : { state: { $in: LIVE_STATES } };
      const videos: Pick<Video, 'id' | 'pipelineRun'>[] = await em.find(Video, where, { fields: ['id', 'pipelineRun'], orderBy: { id: 'asc' }, limit: PAGE });
      if (!videos.length) return requeued;
      after = videos[videos.length - 1].id;
      const rows = await em.find(PipelineJob, { video: { $in: videos.map((v) => v.id) } }, { fields: ['video', 'stage', 'state'] });
      for (const video of videos) {
        for (const stage of stagesDue(rows.filter((r) => r.video.id === video.id))) {
          if (await this.requeueIfLost(video.id, video.pipelineRun, stage)) requeued += 1;
        }
      }
    }
  }

  /**
   * Enqueues `stage`'s job again when no queue holds it and the database, read after the queue,
   * still has the stage due. A stage finishes in the database before its job leaves the queue, so
   * one that finished since the page was read is seen finished here and not re-added.
   */
  async requeueIfLost(videoId: string, run: number, stage: JobStage): Promise<boolean> {
    const name = jobNameForStage(stage);
    const payload = { videoId, run };
    const jobId = jobIdFor(name, payload);
    if (await this.queues.isLive(name, jobId)) return false;
    const em = this.orm.em.fork();
    // Not yet dispatched: the outbox will deliver it.
    if (await em.count(OutboxMessage, { jobId, dispatchedAt: null })) return false;
    // The video may have failed or moved to a new run since the page was read.
    if (!(await em.count(Video, { id: videoId, pipelineRun: run, state: { $in: LIVE_STATES } }))) return false;
    const rows = await em.find(PipelineJob, { video: videoId }, { fields: ['stage', 'state'] });
    if (!stagesDue(rows).includes(stage)) return false;
    await this.queues.readd(name, payload, jobId);
    this.logger.warn(`${jobId}: due in the database but in no queue (Redis lost it?); enqueued again`);
    return true;
  }
}
