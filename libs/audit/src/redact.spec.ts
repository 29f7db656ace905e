import { redact, REDACTED } from './redact';

describe('redact', () => {
  it('removes secret-named keys at any depth', () => {
    expect(redact({ title: 'x', password: 'p', nested: { apiKey: 'k', clientSecret: 's', refresh_token: 't', ok: 1 } })).toEqual({
      title: 'x',
      password: REDACTED,
      nested: { apiKey: REDACTED, clientSecret: REDACTED, refresh_token: REDACTED, ok: 1 },
    });
    expect(redact({ headers: { Authorization: 'Bearer abc', cookie: 'a=b', 'webhook-signature': 'v1,xyz' } })).toEqual({
      headers: { Authorization: REDACTED, cookie: REDACTED, 'webhook-signature': REDACTED },
    });
  });

  it('removes JWTs and bearer strings under any key', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(redact({ note: jwt, other: 'Bearer x.y.z' })).toEqual({ note: REDACTED, other: REDACTED });
  });

  it('cuts the query off presigned and tokened URLs, keeps plain ones', () => {
    expect(redact('https://s3.example.com/b/k?X-Amz-Algorithm=AWS4&X-Amz-Signature=abc')).toBe(`https://s3.example.com/b/k?${REDACTED}`);
    expect(redact('http://localhost:3000/storage/b/k?X-Heimdex-Expires=1&X-Heimdex-Signature=ab')).toBe(`http://localhost:3000/storage/b/k?${REDACTED}`);
    expect(redact('https://example.com/page?x=1')).toBe('https://example.com/page?x=1');
  });

  it('bounds size: long strings, long arrays, deep objects', () => {
    expect((redact('a'.repeat(2000)) as string).length).toBeLessThan(600);
    expect((redact(Array.from({ length: 100 }, (_, i) => i)) as unknown[]).length).toBe(21);
    expect(redact({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: '[nested]' } } } });
  });
});
