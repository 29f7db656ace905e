import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { QueueName } from '@heimdex/queue';
import { JobHandlerRegistry } from './job-handler-registry';

/**
 * A job whose worker died keeps its lock until it expires, then BullMQ's stall check moves it
 * back to waiting. Stages are idempotent, so a few recoveries are safe; more means the job
 * itself kills the worker.
 */
const WORKER_OPTIONS = { maxStalledCount: 3 };

abstract class QueueProcessor extends WorkerHost implements OnModuleInit {
  protected abstract concurrency(config: AppConfig): number;

  constructor(
    private readonly registry: JobHandlerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.worker.concurrency = this.concurrency(this.config);
  }

  process(job: Job): Promise<void> {
    return this.registry.run(job);
  }
}

@Processor(QueueName.Media, WORKER_OPTIONS)
export class MediaQueueProcessor extends QueueProcessor {
  protected concurrency(config: AppConfig): number {
    return config.worker.concurrency;
  }
}

@Processor(QueueName.Asr, WORKER_OPTIONS)
export class AsrQueueProcessor extends QueueProcessor {
  protected concurrency(config: AppConfig): number {
    return config.worker.asrConcurrency;
  }
}

@Processor(QueueName.Vision, WORKER_OPTIONS)
export class VisionQueueProcessor extends QueueProcessor {
  protected concurrency(config: AppConfig): number {
    return config.worker.visionConcurrency;
  }
}

@Processor(QueueName.Maintenance, WORKER_OPTIONS)
export class MaintenanceQueueProcessor extends QueueProcessor {
  protected concurrency(config: AppConfig): number {
    return config.worker.concurrency;
  }
}

/** One processor per queue; a queue without one would silently pile up jobs (queue-processors.spec checks). */
export const QUEUE_PROCESSORS = [MediaQueueProcessor, AsrQueueProcessor, VisionQueueProcessor, MaintenanceQueueProcessor];
