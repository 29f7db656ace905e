import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { QueueName } from '@heimdex/queue';
import { JobHandlerRegistry } from './job-handler-registry';

abstract class QueueProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly registry: JobHandlerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  process(job: Job): Promise<void> {
    return this.registry.run(job);
  }
}

@Processor(QueueName.Media)
export class MediaQueueProcessor extends QueueProcessor {}

@Processor(QueueName.Maintenance)
export class MaintenanceQueueProcessor extends QueueProcessor {}

/** One processor per queue; a queue without one would silently pile up jobs. */
export const QUEUE_PROCESSORS = [MediaQueueProcessor, MaintenanceQueueProcessor];
