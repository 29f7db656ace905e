import { Client } from 'pg';
import { sql } from './test-database';
import { eventually } from './test-stack';

export interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_role: string;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown> | null;
  chain_seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/** Audit rows straight from the database (bypassing the API), oldest first. */
export function auditRows(dbUrl: string, where = 'true', params: unknown[] = []): Promise<AuditRow[]> {
  return sql<AuditRow>(
    dbUrl,
    `select id::text as id, at, actor_id, actor_role::text as actor_role, action, resource_type, resource_id, outcome::text as outcome, ip, user_agent,
            request_id, details, chain_seq::text as chain_seq, prev_hash, hash
       from audit_events where ${where} order by audit_events.id`,
    params,
  );
}

/** The events one request wrote (by the X-Request-Id the API answered with). */
export function eventsOfRequest(dbUrl: string, requestId: string): Promise<AuditRow[]> {
  return auditRows(dbUrl, 'request_id = $1', [requestId]);
}

/** Waits until every committed event is chained (the sealers run every AUDIT_SEAL_INTERVAL_MS). */
export function allSealed(dbUrl: string): Promise<true> {
  return eventually(
    async () => {
      const [row] = await sql<{ n: string }>(dbUrl, 'select count(*) as n from audit_events where chain_seq is null');
      return row.n === '0' ? true : undefined;
    },
    20_000,
    100,
  );
}

/**
 * Runs `statement` as a superuser who goes around the append-only trigger would: with
 * session_replication_role = replica (ordinary triggers do not fire), for this transaction only.
 */
export async function asSuperuserBypassingTriggers(dbUrl: string, statement: string, params: unknown[] = []): Promise<number> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query('begin');
    await c.query('set local session_replication_role = replica');
    const res = await c.query(statement, params);
    await c.query('commit');
    return res.rowCount ?? 0;
  } finally {
    await c.end();
  }
}
