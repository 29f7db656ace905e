import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditCheckpoint, AuditEvent } from '@heimdex/db';
import type { CheckpointClaim } from './audit-checkpoint-proof';
import { ChainRow, GENESIS_HASH } from './audit-hash';

/** A sealed event as read for hashing: the chain columns as text, with its stored links. */
export interface StoredChainRow extends ChainRow {
  prevHash: string | null;
  hash: string | null;
}

/** The end of the chain: the last sealed position and its hash. */
export interface ChainTip {
  seq: bigint;
  hash: string;
}

/** A checkpoint row as stored: what it claims, and its signature (null where an older version wrote it). */
export interface StoredCheckpoint extends Omit<CheckpointClaim, 'fromSeq' | 'prevHash' | 'archiveSha256'> {
  id: string;
  fromSeq: string | null;
  prevHash: string | null;
  archiveSha256: string | null;
  mac: string | null;
}

export interface SealedLink {
  id: string;
  chainSeq: string;
  prevHash: string;
  hash: string;
}

/**
 * Every column the hash covers, as Postgres prints it: the timestamp in UTC with microseconds,
 * enums and uuids as text, jsonb in its canonical text form (keys sorted by Postgres).
 */
const CHAIN_COLUMNS = `id::text as "id", chain_seq::text as "chainSeq",
  to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "at",
  actor_id::text as "actorId", actor_role::text as "actorRole", action as "action",
  resource_type as "resourceType", resource_id as "resourceId", outcome::text as "outcome",
  ip as "ip", user_agent as "userAgent", request_id as "requestId", details::text as "details",
  prev_hash as "prevHash", hash as "hash"`;

/** Any constant both apps agree on: "AUDT". Held by one sealer at a time (transaction-scoped). */
const SEAL_LOCK_KEY = 0x41554454;

/** The SQL of the audit chain: sealing, reading in chain order, checkpoints, retention's removal. */
export class AuditStore {
  /** Takes the sealer lock for the caller's transaction; false when another sealer holds it. */
  async trySealLock(tx: EntityManager): Promise<boolean> {
    const rows = await tx.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?) as locked', [SEAL_LOCK_KEY]);
    return rows[0]?.locked === true;
  }

  async hasUnsealed(em: EntityManager): Promise<boolean> {
    const rows = await em.execute<{ any: boolean }[]>('select exists (select 1 from audit_events where chain_seq is null) as "any"');
    return rows[0]?.any === true;
  }

  countUnsealed(em: EntityManager): Promise<number> {
    return em.count(AuditEvent, { chainSeq: null });
  }

  /** Oldest unsealed events first (by id): the order they are chained in. Qualified: the bare `id` would sort the text alias. */
  unsealed(tx: EntityManager, limit: number): Promise<StoredChainRow[]> {
    return tx.execute<StoredChainRow[]>(`select ${CHAIN_COLUMNS} from audit_events where chain_seq is null order by audit_events.id limit ?`, [limit]);
  }

  /** The last sealed position: the newest sealed event, or the newest checkpoint once retention removed it, or genesis. */
  async tip(em: EntityManager): Promise<ChainTip> {
    const [event] = await em.execute<{ seq: string; hash: string }[]>(
      'select chain_seq::text as seq, hash from audit_events where chain_seq is not null order by chain_seq desc limit 1',
    );
    const checkpoint = await this.latestCheckpoint(em);
    const fromEvent = event ? { seq: BigInt(event.seq), hash: event.hash } : null;
    const fromCheckpoint = checkpoint ? { seq: BigInt(checkpoint.throughSeq), hash: checkpoint.hash } : null;
    if (fromEvent && (!fromCheckpoint || fromEvent.seq > fromCheckpoint.seq)) return fromEvent;
    return fromCheckpoint ?? { seq: 0n, hash: GENESIS_HASH };
  }

  /** One statement for the whole batch; the trigger lets each row be sealed exactly once. */
  async seal(tx: EntityManager, links: SealedLink[]): Promise<number> {
    if (!links.length) return 0;
    const res = await tx.execute(
      `update audit_events a set chain_seq = v."chainSeq", prev_hash = v."prevHash", hash = v."hash"
         from jsonb_to_recordset(?::jsonb) as v("id" bigint, "chainSeq" bigint, "prevHash" text, "hash" text)
        where a.id = v."id" and a.chain_seq is null`,
      [JSON.stringify(links)],
      'run',
    );
    return Number((res as { affectedRows?: number }).affectedRows ?? 0);
  }

  /** Sealed events from chain position `fromSeq` on, in chain order. */
  chain(em: EntityManager, fromSeq: bigint, limit: number, throughSeq?: bigint): Promise<StoredChainRow[]> {
    const upper = throughSeq === undefined ? '' : 'and chain_seq <= ?';
    const params = throughSeq === undefined ? [fromSeq.toString(), limit] : [fromSeq.toString(), throughSeq.toString(), limit];
    return em.execute<StoredChainRow[]>(
      `select ${CHAIN_COLUMNS} from audit_events where chain_seq >= ? ${upper} order by audit_events.chain_seq limit ?`,
      params,
    );
  }

  /** The newest retention checkpoint, read through `em` (inside the caller's transaction when it has one). */
  async latestCheckpoint(em: EntityManager): Promise<Pick<AuditCheckpoint, 'throughSeq' | 'hash'> | null> {
    const [row] = await em.execute<{ throughSeq: string; hash: string }[]>(
      'select through_seq::text as "throughSeq", hash from audit_checkpoints order by through_seq desc limit 1',
    );
    return row ?? null;
  }

  /** Every retention checkpoint, oldest first. */
  checkpoints(em: EntityManager): Promise<StoredCheckpoint[]> {
    return em.execute<StoredCheckpoint[]>(
      `select id::text as "id", from_seq::text as "fromSeq", prev_hash as "prevHash", through_seq::text as "throughSeq", hash, events,
              archive_key as "archiveKey", archive_sha256 as "archiveSha256", mac
         from audit_checkpoints order by through_seq`,
    );
  }

  /**
   * The last chain position retention may archive: the sealed prefix whose every event is older
   * than the cutoff (an event past the cutoff stops it, so the chain stays one unbroken run).
   */
  async expiredThrough(em: EntityManager, cutoff: Date): Promise<bigint | null> {
    const [row] = await em.execute<{ last: string | null; kept: string | null }[]>(
      `select (select max(chain_seq) from audit_events where chain_seq is not null)::text as "last",
              (select min(chain_seq) from audit_events where chain_seq is not null and at >= ?)::text as "kept"`,
      [cutoff],
    );
    if (!row?.last) return null;
    return row.kept ? BigInt(row.kept) - 1n : BigInt(row.last);
  }

  /**
   * Writes the checkpoint, then removes the archived events in the same transaction: the
   * trigger allows the delete only in a session that says it is retention, and only up to a
   * checkpoint.
   */
  async removeArchived(tx: EntityManager, checkpoint: CheckpointClaim & { mac: string }): Promise<number> {
    const fromSeq = checkpoint.fromSeq;
    await tx.insert(AuditCheckpoint, { ...checkpoint, createdAt: new Date() });
    await tx.execute(`select set_config('heimdex.audit_retention', 'on', true)`);
    const res = await tx.execute('delete from audit_events where chain_seq >= ? and chain_seq <= ?', [fromSeq, checkpoint.throughSeq], 'run');
    await tx.execute(`select set_config('heimdex.audit_retention', 'off', true)`);
    return Number((res as { affectedRows?: number }).affectedRows ?? 0);
  }
}
