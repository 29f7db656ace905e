import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';

/** What a retention checkpoint claims: the archived run of the chain, where it continues from, and its archive's bytes. */
export interface CheckpointClaim {
  /** First chain position in the archive. */
  fromSeq: string;
  /** The hash the archive's first event links to (the previous checkpoint's, or genesis). */
  prevHash: string;
  throughSeq: string;
  hash: string;
  events: number;
  archiveKey: string;
  /** SHA-256 (hex) of the archive object exactly as stored. */
  archiveSha256: string;
}

const FORMAT = 'heimdex.audit.checkpoint.v1';

/**
 * HMAC-SHA256 over the claim with AUDIT_CHECKPOINT_KEY, a key the database never sees: anyone who
 * can write to the database can insert a checkpoint row, but only the retention job can sign one.
 */
export function checkpointMac(key: string, claim: CheckpointClaim): string {
  const payload = JSON.stringify([
    FORMAT,
    claim.fromSeq,
    claim.prevHash,
    claim.throughSeq,
    claim.hash,
    String(claim.events),
    claim.archiveKey,
    claim.archiveSha256,
  ]);
  return createHmac('sha256', key).update(payload).digest('hex');
}

export function checkpointMacMatches(key: string, claim: CheckpointClaim, mac: string | null): boolean {
  if (!mac) return false;
  const expected = Buffer.from(checkpointMac(key, claim), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** SHA-256 (hex) of a stream's bytes, read to the end. */
export async function sha256OfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
