import { BadRequestException } from '@nestjs/common';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint } from './search-cursor';

describe('search cursor', () => {
  const fingerprint = searchFingerprint({ q: 'cat', modes: ['ocr'] });

  it('round-trips offset, snapshot and fingerprint', () => {
    const cursor = { offset: 40, snapshot: new Date('2026-01-02T03:04:05.678Z'), fingerprint };
    expect(decodeSearchCursor(encodeSearchCursor(cursor), fingerprint)).toEqual(cursor);
  });

  it('rejects garbage and cursors of another search', () => {
    expect(() => decodeSearchCursor('not-a-cursor', fingerprint)).toThrow(BadRequestException);
    expect(() => decodeSearchCursor(Buffer.from('[-1,0,"x"]').toString('base64url'), fingerprint)).toThrow(/not valid/);
    const other = encodeSearchCursor({ offset: 1, snapshot: new Date(), fingerprint: searchFingerprint({ q: 'dog' }) });
    expect(() => decodeSearchCursor(other, fingerprint)).toThrow(/different search/);
  });

  it('fingerprints differ when anything that shapes the ranking differs', () => {
    expect(searchFingerprint({ q: 'cat' })).toBe(searchFingerprint({ q: 'cat' }));
    expect(searchFingerprint({ q: 'cat' })).not.toBe(searchFingerprint({ q: 'cat', sort: 'date' }));
  });
});
