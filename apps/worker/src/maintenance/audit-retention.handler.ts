import { Injectable, Logger } from '@nestjs/common';
import { AuditRetention } from '@heimdex/audit';
import { AuditRetentionPayload, JobName } from '@heimdex/queue';
import type { JobHandler } from '../jobs/job-handler';

/** Archives and removes audit events past AUDIT_RETENTION_DAYS (see AuditRetention). */
@Injectable()
export class AuditRetentionHandler implements JobHandler<JobName.AuditRetention> {
  readonly jobName = JobName.AuditRetention;
  private readonly logger = new Logger(AuditRetentionHandler.name);

  constructor(private readonly retention: AuditRetention) {}

  async handle({ trigger }: AuditRetentionPayload): Promise<void> {
    const run = await this.retention.run();
    if (run.archived) this.logger.log(`audit retention (${trigger}): archived ${run.archived} event(s) to ${run.archives.join(', ')}`);
  }
}
