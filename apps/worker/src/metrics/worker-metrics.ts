import { Injectable } from '@nestjs/common';
import { QueueRegistry } from '@heimdex/queue';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a stage attempt ended: its result, or a failure that is retried or final. */
export type StageOutcome = 'completed' | 'skipped' | 'retry' | 'failed';

/** BullMQ's job states, as the queue depth gauge reports them. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/**
 * The worker's Prometheus metrics: stage durations (by stage and outcome), stage failures, and
 * queue depths read from Redis at each scrape. One registry per app instance, like the api's.
 */
@Injectable()
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly stageDuration = new Histogram({
    name: 'heimdex_stage_duration_seconds',
    help: 'Pipeline stage attempt duration by stage and outcome (completed, skipped, retry, failed)',
    labelNames: ['stage', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  private readonly stageFailures = new Counter({
    name: 'heimdex_stage_failures_total',
    help: 'Failed pipeline stage attempts by stage; final="true" when the video failed with it',
    labelNames: ['stage', 'final'] as const,
    registers: [this.registry],
  });

  constructor(queues: QueueRegistry) {
    collectDefaultMetrics({ register: this.registry, prefix: 'heimdex_worker_' });
    new Gauge({
      name: 'heimdex_queue_jobs',
      help: 'Jobs in each BullMQ queue by state, read at scrape time',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const queue of queues.all()) {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
  }

  /** Starts timing one stage attempt; call the result with how it ended. */
  stageTimer(stage: string): (outcome: StageOutcome) => void {
    const end = this.stageDuration.startTimer({ stage });
    return (outcome) => {
      end({ outcome });
      if (outcome === 'retry' || outcome === 'failed') this.stageFailures.inc({ stage, final: String(outcome === 'failed') });
    };
  }
}
