import { safeUrl } from './logger.module';

describe('safeUrl (request logs)', () => {
  it('keeps ordinary query strings', () => {
    expect(safeUrl('/v1/videos?limit=5')).toBe('/v1/videos?limit=5');
  });

  it('drops the query of presigned URLs and of single-use tickets', () => {
    expect(safeUrl('/storage/b/k?X-Heimdex-Signature=abc')).toBe('/storage/b/k?[redacted]');
    expect(safeUrl('/v1/videos/1/events?ticket=secret-ticket')).toBe('/v1/videos/1/events?[redacted]');
    expect(safeUrl('/v1/admin/board/login?x=1&ticket=secret')).toBe('/v1/admin/board/login?[redacted]');
  });
});
