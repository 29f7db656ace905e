import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';

/**
 * Where the next page starts in a fused ranking. The ranking is recomputed for every page, so
 * the cursor pins what it is computed over: `snapshot` (only videos indexed by then take part,
 * so videos indexed while a client pages do not shift it) and `fingerprint` (the query and
 * filters it belongs to). Every list is ordered with scene id as the last tie-breaker, so the
 * same inputs give the same order and `offset` points at the same place.
 */
export interface SearchCursor {
  offset: number;
  snapshot: Date;
  fingerprint: string;
}

export function encodeSearchCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify([c.offset, c.snapshot.getTime(), c.fingerprint])).toString('base64url');
}

export function decodeSearchCursor(raw: string, fingerprint: string): SearchCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const [offset, at, print] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
  if (!Number.isInteger(offset) || (offset as number) < 0 || !Number.isInteger(at) || typeof print !== 'string') {
    throw new BadRequestException('cursor is not valid: pass nextCursor from a previous page unchanged');
  }
  if (print !== fingerprint) throw new BadRequestException('cursor belongs to a different search: send the same query and filters with it');
  return { offset: offset as number, snapshot: new Date(at as number), fingerprint };
}

/** Identifies a search by everything that shapes its ranking (not by limit, which only cuts it). */
export function searchFingerprint(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}
