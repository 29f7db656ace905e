import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { WORKER_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, WorkerOptions } from 'bullmq';
import type { AppConfig } from '@heimdex/config';
import { QueueName } from '@heimdex/queue';
import { JobHandlerRegistry } from './job-handler-registry';

@Injectable()
abstract class QueueProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(this.constructor.name);

  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  /** Workers start only once every provider (the models included) is ready. */
  onApplicationBootstrap(): void {
    this.worker.run().catch((err: unknown) => this.logger.error(`worker stopped: ${String(err)}`));
  }

  /** Every failed attempt is logged; BullMQ retries it (or not, when unrecoverable). */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.warn(`job ${job?.name ?? '?'} ${job?.id ?? ''} attempt ${job?.attemptsMade ?? '?'} failed: ${err.message}`);
  }

  process(job: Job): Promise<void> {
    return this.registry.run(job);
  }
}

@Processor(QueueName.Media)
export class MediaQueueProcessor extends QueueProcessor {}

@Processor(QueueName.Asr)
export class AsrQueueProcessor extends QueueProcessor {}

@Processor(QueueName.Vision)
export class VisionQueueProcessor extends QueueProcessor {}

@Processor(QueueName.Maintenance)
export class MaintenanceQueueProcessor extends QueueProcessor {}

/** One processor per queue; a queue without one would silently pile up jobs (queue-processors.spec checks). */
export const QUEUE_PROCESSORS = [MediaQueueProcessor, AsrQueueProcessor, VisionQueueProcessor, MaintenanceQueueProcessor];

/**
 * BullMQ reads worker options once, when @nestjs/bullmq constructs the worker from the
 * processor's metadata, so the configured values are written there before the module is built.
 * A killed worker's job keeps its lock until it expires; the stall check then moves it back to
 * waiting. Stages are idempotent, so a few recoveries are safe; more means the job kills workers.
 */
export function configureQueueWorkers(config: AppConfig): void {
  const concurrency: Record<QueueName, number> = {
    [QueueName.Media]: config.worker.concurrency,
    [QueueName.Asr]: config.worker.asrConcurrency,
    [QueueName.Vision]: config.worker.visionConcurrency,
    [QueueName.Maintenance]: config.worker.concurrency,
  };
  const queues: Record<QueueName, object> = {
    [QueueName.Media]: MediaQueueProcessor,
    [QueueName.Asr]: AsrQueueProcessor,
    [QueueName.Vision]: VisionQueueProcessor,
    [QueueName.Maintenance]: MaintenanceQueueProcessor,
  };
  for (const queue of Object.values(QueueName)) {
    const options: Partial<WorkerOptions> = {
      autorun: false,
      concurrency: concurrency[queue],
      lockDuration: config.worker.lockMs,
      stalledInterval: config.worker.lockMs,
      maxStalledCount: 3,
    };
    Reflect.defineMetadata(WORKER_METADATA, options, queues[queue]);
  }
}
