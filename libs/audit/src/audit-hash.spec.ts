import { auditHash, canonicalAuditPayload, ChainRow, GENESIS_HASH } from './audit-hash';

const row: ChainRow = {
  id: '7',
  chainSeq: '3',
  at: '2026-11-30T12:00:00.123456Z',
  actorId: '11111111-1111-4111-8111-111111111111',
  actorRole: 'user',
  action: 'videos.update',
  resourceType: 'videos',
  resourceId: 'abc',
  outcome: 'success',
  ip: '203.0.113.7',
  userAgent: 'curl/8',
  requestId: 'r-1',
  details: '{"status": 200}',
};

describe('audit hash', () => {
  it('is SHA-256 hex over a fixed-order serialisation that includes the previous hash', () => {
    const h = auditHash(row, GENESIS_HASH);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalAuditPayload(row, GENESIS_HASH)).toContain(GENESIS_HASH);
    expect(auditHash(row, GENESIS_HASH)).toBe(h);
  });

  it('changes when any field or the previous hash changes', () => {
    const base = auditHash(row, GENESIS_HASH);
    for (const key of Object.keys(row) as (keyof ChainRow)[]) {
      const altered = { ...row, [key]: row[key] === null ? 'x' : `${row[key]}x` };
      expect({ key, same: auditHash(altered, GENESIS_HASH) === base }).toEqual({ key, same: false });
    }
    expect(auditHash(row, 'f'.repeat(64))).not.toBe(base);
  });

  it('tells null from the string "null" and keeps field boundaries', () => {
    expect(auditHash({ ...row, ip: null }, GENESIS_HASH)).not.toBe(auditHash({ ...row, ip: 'null' }, GENESIS_HASH));
    expect(auditHash({ ...row, action: 'a', resourceType: 'bc' }, GENESIS_HASH)).not.toBe(auditHash({ ...row, action: 'ab', resourceType: 'c' }, GENESIS_HASH));
  });
});
