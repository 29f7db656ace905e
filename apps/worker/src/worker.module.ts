import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@heimdex/config';
import { DatabaseModule } from '@heimdex/db';
import { MediaProbe, resolveFfmpegBinaries } from '@heimdex/media';
import { createLoggerModule } from '@heimdex/observability';
import { QueueModule } from '@heimdex/queue';
import { ObjectStorage, StorageModule } from '@heimdex/storage';
import { JOB_HANDLERS, JobHandler } from './jobs/job-handler';
import { JobHandlerRegistry } from './jobs/job-handler-registry';
import { QUEUE_PROCESSORS } from './jobs/queue-processors';
import { VideoPurgeHandler } from './maintenance/video-purge.handler';
import { StageRunner } from './pipeline/stage-runner';
import { UploadValidateStage } from './stages/upload-validate.stage';

/** Every job handler the worker has; JobHandlerRegistry refuses to start if one is missing. */
const HANDLERS = [UploadValidateStage, VideoPurgeHandler];

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, storage: ObjectStorage): DynamicModule {
    if (!config.database.url) throw new Error('WorkerModule needs a database URL');
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        createLoggerModule({ level: config.logLevel, app: 'worker' }),
        DatabaseModule.forRoot({ url: config.database.url, poolMax: config.database.poolMax }),
        QueueModule.forRoot(config, 'consumer'),
        StorageModule.forRoot(storage),
      ],
      providers: [
        { provide: MediaProbe, useValue: new MediaProbe(resolveFfmpegBinaries(config.media)) },
        StageRunner,
        ...HANDLERS,
        { provide: JOB_HANDLERS, useFactory: (...handlers: JobHandler[]) => handlers, inject: HANDLERS },
        JobHandlerRegistry,
        ...QUEUE_PROCESSORS,
      ],
    };
  }
}
