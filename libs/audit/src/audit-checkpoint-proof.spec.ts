import { Readable } from 'node:stream';
import { CheckpointClaim, checkpointMac, checkpointMacMatches, sha256OfStream } from './audit-checkpoint-proof';

const claim: CheckpointClaim = {
  fromSeq: '1',
  prevHash: '0'.repeat(64),
  throughSeq: '25',
  hash: 'ab'.repeat(32),
  events: 25,
  archiveKey: 'audit/archive/000000000000001-000000000000025.ndjson',
  archiveSha256: 'cd'.repeat(32),
};
const key = 'k'.repeat(43);

describe('checkpoint signature', () => {
  it('matches only the same claim under the same key', () => {
    const mac = checkpointMac(key, claim);
    expect(checkpointMacMatches(key, claim, mac)).toBe(true);
    expect(checkpointMacMatches('x'.repeat(43), claim, mac)).toBe(false);
    for (const change of [
      { throughSeq: '26' },
      { hash: 'ef'.repeat(32) },
      { archiveSha256: 'ee'.repeat(32) },
      { events: 24 },
      { fromSeq: '2' },
      { archiveKey: 'audit/archive/x.ndjson' },
    ]) {
      expect(checkpointMacMatches(key, { ...claim, ...change }, mac)).toBe(false);
    }
    expect(checkpointMacMatches(key, claim, null)).toBe(false);
    expect(checkpointMacMatches(key, claim, 'zz')).toBe(false);
  });

  it('hashes a stream as its concatenated bytes', async () => {
    expect(await sha256OfStream(Readable.from([Buffer.from('ab'), Buffer.from('c')]))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
