import { DynamicModule, Module } from '@nestjs/common';
import { AuditTrailModule } from '@heimdex/audit';
import { AppConfig, ConfigModule } from '@heimdex/config';
import { DatabaseModule } from '@heimdex/db';
import { FacesModule } from '@heimdex/faces';
import { createLoggerModule } from '@heimdex/observability';
import { QueueModule } from '@heimdex/queue';
import { ObjectStorage, StorageModule } from '@heimdex/storage';
import { JOB_HANDLERS, JobHandler } from './jobs/job-handler';
import { JobHandlerRegistry } from './jobs/job-handler-registry';
import { configureQueueWorkers, QUEUE_PROCESSORS } from './jobs/queue-processors';
import { EnrolmentReembedder } from './maintenance/enrolment-reembedder';
import { FaceModelScheduler } from './maintenance/face-model-scheduler';
import { FacesClusterHandler } from './maintenance/faces-cluster.handler';
import { FacesRematchHandler } from './maintenance/faces-rematch.handler';
import { AuditRetentionHandler } from './maintenance/audit-retention.handler';
import { AuditRetentionScheduler } from './maintenance/audit-retention.scheduler';
import { ReembedScenesHandler } from './maintenance/reembed-scenes.handler';
import { ReembedScheduler } from './maintenance/reembed-scheduler';
import { StageModelRepository } from './maintenance/stage-model.repository';
import { StageModelScheduler } from './maintenance/stage-model-scheduler';
import { UserPurgeHandler } from './maintenance/user-purge.handler';
import { UserPurgeRepository } from './maintenance/user-purge.repository';
import { VideoPurgeHandler } from './maintenance/video-purge.handler';
import { MEDIA_PROVIDERS } from './media/media.providers';
import { WorkerMetrics } from './metrics/worker-metrics';
import { WorkerMetricsServer } from './metrics/worker-metrics.server';
import { ModelEngines } from './models/model-engines';
import { PipelineReconciler } from './pipeline/pipeline-reconciler';
import type { PipelineStage } from './pipeline/pipeline-stage';
import { StageArtifacts } from './pipeline/stage-artifacts';
import { stageJobHandlers } from './pipeline/stage-job-handlers';
import { StageGate } from './pipeline/stage-gate';
import { StageRunner } from './pipeline/stage-runner';
import { AlignMergeStage } from './stages/align-merge.stage';
import { AsrFastStage } from './stages/asr-fast.stage';
import { AudioExtractStage } from './stages/audio-extract.stage';
import { CommitStage } from './stages/commit.stage';
import { EmbedTextStage } from './stages/embed-text.stage';
import { FacesEnrollMatchStage } from './stages/faces-enroll-match.stage';
import { LanguageDetectStage } from './stages/language-detect.stage';
import { SceneDetectStage } from './stages/scene-detect.stage';
import { SceneFrames } from './stages/scene-frames';
import { SidecarBuildStage } from './stages/sidecar-build.stage';
import { UploadValidateStage } from './stages/upload-validate.stage';
import { VisionAffectTagsStage } from './stages/vision-affect-tags.stage';
import { VisionEmbedFramesStage } from './stages/vision-embed-frames.stage';
import { VisionModerationStage } from './stages/vision-moderation.stage';
import { VisionObjectsStage } from './stages/vision-objects.stage';
import { VisionSampleFramesStage } from './stages/vision-sample-frames.stage';

/**
 * One class per pipeline stage (each names its `stage`); the stage's dependencies, queue and job
 * name come from its row in libs/queue/src/pipeline.ts. The worker refuses to start if a stage
 * of the graph has no class here.
 */
const STAGES = [
  UploadValidateStage,
  AudioExtractStage,
  AsrFastStage,
  SceneDetectStage,
  AlignMergeStage,
  EmbedTextStage,
  VisionSampleFramesStage,
  VisionEmbedFramesStage,
  VisionAffectTagsStage,
  FacesEnrollMatchStage,
  VisionObjectsStage,
  VisionModerationStage,
  LanguageDetectStage,
  SidecarBuildStage,
  CommitStage,
];

/** Jobs that are not pipeline stages. */
const MAINTENANCE_HANDLERS = [VideoPurgeHandler, ReembedScenesHandler, FacesRematchHandler, FacesClusterHandler, UserPurgeHandler, AuditRetentionHandler];

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, storage: ObjectStorage): DynamicModule {
    if (!config.database.url) throw new Error('WorkerModule needs a database URL');
    configureQueueWorkers(config);
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        createLoggerModule({ level: config.logLevel, app: 'worker' }),
        DatabaseModule.forRoot({ url: config.database.url, poolMax: config.database.poolMax }),
        QueueModule.forRoot(config, 'consumer'),
        StorageModule.forRoot(storage),
        FacesModule,
        AuditTrailModule,
      ],
      providers: [
        ...MEDIA_PROVIDERS,
        ModelEngines,
        WorkerMetrics,
        WorkerMetricsServer,
        StageArtifacts,
        SceneFrames,
        StageGate,
        StageRunner,
        PipelineReconciler,
        ...STAGES,
        ...MAINTENANCE_HANDLERS,
        ReembedScheduler,
        StageModelRepository,
        StageModelScheduler,
        EnrolmentReembedder,
        FaceModelScheduler,
        UserPurgeRepository,
        AuditRetentionScheduler,
        {
          provide: JOB_HANDLERS,
          useFactory: (runner: StageRunner, ...rest: (PipelineStage | JobHandler)[]): JobHandler[] => [
            ...stageJobHandlers(runner, rest.slice(0, STAGES.length) as PipelineStage[]),
            ...(rest.slice(STAGES.length) as JobHandler[]),
          ],
          inject: [StageRunner, ...STAGES, ...MAINTENANCE_HANDLERS],
        },
        JobHandlerRegistry,
        ...QUEUE_PROCESSORS,
      ],
    };
  }
}
