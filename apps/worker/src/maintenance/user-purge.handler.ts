import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { recordSystemEvent } from '@heimdex/audit';
import { AuditOutcome } from '@heimdex/db';
import { JobName, UserPurgePayload } from '@heimdex/queue';
import { OBJECT_STORAGE, ObjectStorage, userObjectPrefixes } from '@heimdex/storage';
import type { JobHandler } from '../jobs/job-handler';
import { UserPurgeRepository } from './user-purge.repository';

/**
 * Removes everything a user owns: videos, scenes, people, faces (every table with a user_id) and
 * every object under the user's prefixes. The audit trail stays; the purge itself is recorded in
 * it, in the transaction that deletes the rows. Idempotent: a retry after a partial run finishes it.
 */
@Injectable()
export class UserPurgeHandler implements JobHandler<JobName.UserPurge> {
  readonly jobName = JobName.UserPurge;
  private readonly logger = new Logger(UserPurgeHandler.name);

  constructor(
    private readonly orm: MikroORM,
    private readonly repo: UserPurgeRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async handle({ userId, reason }: UserPurgePayload): Promise<void> {
    await this.orm.em.fork().transactional((tx) => this.repo.stopPipelines(tx, userId));
    let objects = await this.deleteObjects(userId);
    const tables = await this.repo.userTables(this.orm.em.fork());
    const rows: Record<string, number> = {};
    await this.orm.em.fork().transactional(async (tx) => {
      for (const table of tables) rows[table] = await this.repo.deleteRows(tx, table, userId);
      await recordSystemEvent(tx, {
        action: 'users.purged',
        resourceType: 'users',
        resourceId: userId,
        outcome: AuditOutcome.Success,
        details: { reason, objects, rows },
      });
    });
    // A stage that was uploading while the rows went may have written since: sweep once more.
    objects += await this.deleteObjects(userId);
    this.logger.log(`purged user ${userId} (${reason}): ${objects} object(s), rows ${JSON.stringify(rows)}`);
  }

  private async deleteObjects(userId: string): Promise<number> {
    let n = 0;
    for (const prefix of userObjectPrefixes(userId)) n += await this.storage.deletePrefix(prefix);
    return n;
  }
}
