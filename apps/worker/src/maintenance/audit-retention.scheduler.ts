import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@heimdex/config';
import { JOB_QUEUE, JobName, QueueRegistry } from '@heimdex/queue';

/** One BullMQ Job Scheduler, shared by every worker (upserting it is idempotent). */
export const AUDIT_RETENTION_SCHEDULER = 'audit-retention';

/**
 * At start: schedules audit retention every AUDIT_RETENTION_INTERVAL_S, or removes the schedule
 * when retention is off (AUDIT_RETENTION_DAYS=0).
 */
@Injectable()
export class AuditRetentionScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuditRetentionScheduler.name);

  constructor(
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.queues.get(JOB_QUEUE[JobName.AuditRetention]);
    const { retentionDays, retentionIntervalS } = this.config.audit;
    if (retentionDays <= 0) {
      await queue.removeJobScheduler(AUDIT_RETENTION_SCHEDULER);
      return;
    }
    await queue.upsertJobScheduler(
      AUDIT_RETENTION_SCHEDULER,
      { every: retentionIntervalS * 1000 },
      { name: JobName.AuditRetention, data: { trigger: 'schedule' }, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
    );
    this.logger.log(`audit retention: events older than ${retentionDays} day(s) are archived every ${retentionIntervalS} s`);
  }
}
