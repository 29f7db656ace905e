import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage } from '@heimdex/db';
import { JobName, JobPayloads, jobIdFor } from './job-names';

/**
 * Adds a job to the outbox inside the caller's transaction (the caller flushes). The job
 * reaches BullMQ only if that transaction commits, and it reaches it even if Redis is down
 * at that moment.
 */
export function enqueueInTransaction<N extends JobName>(em: EntityManager, name: N, payload: JobPayloads[N]): OutboxMessage {
  const msg = new OutboxMessage();
  msg.jobName = name;
  msg.jobId = jobIdFor(name, payload);
  msg.payload = { ...payload };
  em.persist(msg);
  return msg;
}
