import { createHash } from 'node:crypto';

/** prevHash of the first event ever sealed. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the serialisation ever changes; part of what is hashed. */
const FORMAT = 'heimdex.audit.v1';

/**
 * An event as the chain sees it: every column as the text Postgres gives for it (see
 * CHAIN_COLUMNS_SQL), so the sealer and the verifier hash exactly the same bytes whatever
 * process or driver read the row.
 */
export interface ChainRow {
  id: string;
  chainSeq: string;
  at: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** jsonb's own text form (keys sorted by Postgres), or null. */
  details: string | null;
}

/**
 * Canonical serialisation: a JSON array in a fixed order, every value a string or null, the
 * previous hash included. JSON string escaping is deterministic, so the same row always gives
 * the same bytes.
 */
export function canonicalAuditPayload(row: ChainRow, prevHash: string): string {
  return JSON.stringify([
    FORMAT,
    row.chainSeq,
    row.id,
    row.at,
    row.actorId,
    row.actorRole,
    row.action,
    row.resourceType,
    row.resourceId,
    row.outcome,
    row.ip,
    row.userAgent,
    row.requestId,
    row.details,
    prevHash,
  ]);
}

/** SHA-256 (hex) of the canonical serialisation. */
export function auditHash(row: ChainRow, prevHash: string): string {
  return createHash('sha256').update(canonicalAuditPayload(row, prevHash)).digest('hex');
}
