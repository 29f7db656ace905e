import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { LocalDiskStorage } from './local-disk.storage';
import { SIGNED_URL_PARAMS as P, type SignedRequestQuery, type VerifySignedRequestInput } from './local-url-signer';
import { BucketNotFoundError, InvalidObjectKeyError, ObjectNotFoundError, ObjectTooLargeError, StorageConfigError } from './storage.errors';

const SIGNING_KEY = 'test-signing-key-0123456789abcdef';
const PUBLIC_URL = 'http://localhost:3000';
const BUCKET = 'heimdex-test';

/** What the API's /storage controller gets from a presigned URL: bucket, decoded key, decoded query. */
function requestFor(url: string, method: string): VerifySignedRequestInput {
  const u = new URL(url);
  const [, storage, bucket, ...segments] = u.pathname.split('/');
  expect(storage).toBe('storage');
  const query: SignedRequestQuery = {};
  for (const [name, value] of u.searchParams) query[name] = value;
  return { method, bucket: decodeURIComponent(bucket ?? ''), key: segments.map(decodeURIComponent).join('/'), query };
}

function chunks(total: number, chunkSize = 1024): Readable {
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < total; sent += chunkSize) yield Buffer.alloc(Math.min(chunkSize, total - sent), 0x61);
    })(),
  );
}

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'heimdex-storage-'));
    storage = new LocalDiskStorage({ root, bucket: BUCKET, signingKey: SIGNING_KEY, publicUrl: `${PUBLIC_URL}/` });
    await storage.ensureBucket();
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('configuration', () => {
    it('rejects a short signing key, a bad bucket name and a bad public URL', () => {
      expect(() => new LocalDiskStorage({ root, bucket: BUCKET, signingKey: 'short', publicUrl: PUBLIC_URL })).toThrow(StorageConfigError);
      expect(() => new LocalDiskStorage({ root, bucket: 'Bad_Bucket', signingKey: SIGNING_KEY, publicUrl: PUBLIC_URL })).toThrow(StorageConfigError);
      expect(() => new LocalDiskStorage({ root, bucket: BUCKET, signingKey: SIGNING_KEY, publicUrl: 'localhost:3000' })).toThrow(StorageConfigError);
    });

    it('ping fails before ensureBucket and passes after', async () => {
      const other = new LocalDiskStorage({ root: join(root, 'elsewhere'), bucket: BUCKET, signingKey: SIGNING_KEY, publicUrl: PUBLIC_URL });
      await expect(other.ping()).rejects.toBeInstanceOf(BucketNotFoundError);
      await other.ensureBucket();
      await expect(other.ping()).resolves.toBeUndefined();
    });
  });

  describe('presigned URLs', () => {
    it('a PUT URL has the documented shape and verifies', async () => {
      const before = Date.now();
      const signed = await storage.presignPut('videos/u1/v1/source', { contentType: 'video/mp4', maxBytes: 1000, ttlS: 600 });
      expect(signed.method).toBe('PUT');
      expect(signed.headers).toEqual({ 'Content-Type': 'video/mp4' });
      expect(signed.url).toMatch(
        /^http:\/\/localhost:3000\/storage\/heimdex-test\/videos\/u1\/v1\/source\?X-Heimdex-Method=PUT&X-Heimdex-Expires=\d+&X-Heimdex-Max-Bytes=1000&X-Heimdex-Content-Type=video%2Fmp4&X-Heimdex-Signature=[0-9a-f]{64}$/,
      );
      const expires = Number(new URL(signed.url).searchParams.get(P.expires));
      expect(signed.expiresAt.getTime()).toBe(expires * 1000);
      expect(expires * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);

      expect(storage.verifySignedRequest(requestFor(signed.url, 'PUT'))).toEqual({ ok: true, maxBytes: 1000, contentType: 'video/mp4' });
    });

    it('a GET URL verifies, with and without a download name, for keys that need encoding', async () => {
      const key = 'videos/u 1/ü/a+b&c=d?.mp4';
      const plain = await storage.presignGet(key, { ttlS: 60 });
      expect(plain.url).not.toContain(P.maxBytes);
      expect(plain.url).not.toContain(P.contentType);
      expect(storage.verifySignedRequest(requestFor(plain.url, 'GET'))).toEqual({ ok: true });

      const named = await storage.presignGet(key, { ttlS: 60, downloadName: 'Holiday "2024" – été.mp4' });
      expect(storage.verifySignedRequest(requestFor(named.url, 'GET'))).toEqual({ ok: true, downloadName: 'Holiday "2024" – été.mp4' });
    });

    it('signs exactly the documented canonical string', async () => {
      const signed = await storage.presignPut('videos/u1/v1/source', { contentType: 'video/mp4', maxBytes: 5, ttlS: 60 });
      const q = new URL(signed.url).searchParams;
      const canonical = [
        'HEIMDEX-HMAC-SHA256',
        'PUT',
        'heimdex-test',
        encodeURIComponent('videos/u1/v1/source'),
        `X-Heimdex-Content-Type=${encodeURIComponent('video/mp4')}`,
        `X-Heimdex-Expires=${q.get(P.expires)}`,
        'X-Heimdex-Max-Bytes=5',
        'X-Heimdex-Method=PUT',
      ].join('\n');
      expect(q.get(P.signature)).toBe(createHmac('sha256', SIGNING_KEY).update(canonical).digest('hex'));
    });

    describe('rejects', () => {
      let put: VerifySignedRequestInput;
      let get: VerifySignedRequestInput;

      beforeEach(async () => {
        put = requestFor((await storage.presignPut('videos/u1/v1/source', { contentType: 'video/mp4', maxBytes: 1000, ttlS: 600 })).url, 'PUT');
        get = requestFor((await storage.presignGet('videos/u1/v1/source', { ttlS: 600, downloadName: 'a.mp4' })).url, 'GET');
      });

      const withQuery = (req: VerifySignedRequestInput, changes: SignedRequestQuery): VerifySignedRequestInput => ({
        ...req,
        query: { ...req.query, ...changes },
      });

      it.each([
        ['a tampered key', () => ({ ...put, key: 'videos/u1/v2/source' })],
        ['a tampered expiry', () => withQuery(put, { [P.expires]: String(Number(put.query[P.expires]) + 3600) })],
        ['a tampered max-bytes', () => withQuery(put, { [P.maxBytes]: '1000000000' })],
        ['a tampered content type', () => withQuery(put, { [P.contentType]: 'text/html' })],
        ['a tampered download name', () => withQuery(get, { [P.downloadName]: 'evil.html' })],
        ['a tampered signature', () => withQuery(put, { [P.signature]: flipLastHex(String(put.query[P.signature])) })],
        ['a malformed signature', () => withQuery(put, { [P.signature]: 'not-hex' })],
        ['a PUT URL turned into a GET URL', () => withQuery(put, { [P.method]: 'GET', [P.maxBytes]: undefined, [P.contentType]: undefined })],
        ['another bucket', () => ({ ...put, bucket: 'other-bucket' })],
      ])('%s with 403', (_name, make) => {
        const verdict = storage.verifySignedRequest(make());
        expect(verdict).toEqual({ ok: false, status: 403, reason: expect.any(String) });
      });

      it('a URL signed with another key', async () => {
        const other = new LocalDiskStorage({ root, bucket: BUCKET, signingKey: `${SIGNING_KEY}-other`, publicUrl: PUBLIC_URL });
        const forged = requestFor((await other.presignPut('videos/u1/v1/source', { contentType: 'video/mp4', maxBytes: 1000, ttlS: 600 })).url, 'PUT');
        expect(storage.verifySignedRequest(forged)).toMatchObject({ ok: false, status: 403, reason: 'the signature does not match this URL' });
      });

      it('the wrong method', () => {
        expect(storage.verifySignedRequest({ ...put, method: 'GET' })).toMatchObject({ ok: false, status: 403, reason: 'this URL is signed for PUT, not GET' });
        expect(storage.verifySignedRequest({ ...get, method: 'PUT' })).toMatchObject({ ok: false, status: 403, reason: 'this URL is signed for GET, not PUT' });
        expect(storage.verifySignedRequest({ ...get, method: 'DELETE' })).toMatchObject({ ok: false, status: 403 });
      });

      it('an expired URL, from the second it expires', () => {
        const expiresMs = Number(put.query[P.expires]) * 1000;
        expect(storage.verifySignedRequest({ ...put, now: new Date(expiresMs - 1) })).toMatchObject({ ok: true });
        expect(storage.verifySignedRequest({ ...put, now: new Date(expiresMs) })).toEqual({ ok: false, status: 403, reason: 'this URL has expired' });
        expect(storage.verifySignedRequest({ ...get, now: new Date(expiresMs + 86_400_000) })).toEqual({
          ok: false,
          status: 403,
          reason: 'this URL has expired',
        });
      });

      it.each([P.method, P.expires, P.maxBytes, P.contentType, P.signature])('a PUT URL without %s with 400', (param) => {
        expect(storage.verifySignedRequest(withQuery(put, { [param]: undefined }))).toMatchObject({ ok: false, status: 400 });
      });

      it('malformed, repeated or unknown parameters with 400', () => {
        expect(storage.verifySignedRequest(withQuery(put, { [P.expires]: 'soon' }))).toMatchObject({ ok: false, status: 400 });
        expect(storage.verifySignedRequest(withQuery(put, { [P.maxBytes]: '-1' }))).toMatchObject({ ok: false, status: 400 });
        expect(storage.verifySignedRequest(withQuery(put, { [P.signature]: [String(put.query[P.signature]), 'x'] }))).toMatchObject({ ok: false, status: 400 });
        expect(storage.verifySignedRequest(withQuery(put, { 'X-Heimdex-Extra': '1' }))).toMatchObject({ ok: false, status: 400 });
        expect(storage.verifySignedRequest(withQuery(get, { [P.maxBytes]: '10' }))).toMatchObject({ ok: false, status: 400 });
      });

      it('ignores query parameters that are not its own', () => {
        expect(storage.verifySignedRequest(withQuery(get, { cachebust: '1' }))).toEqual({ ok: true, downloadName: 'a.mp4' });
      });
    });
  });

  describe('object keys', () => {
    const badKeys = [
      '',
      '/etc/passwd',
      '..',
      '../outside',
      'videos/../../outside',
      'videos/./x',
      'videos//x',
      'videos/x/',
      'videos\\..\\x',
      'videos/x\0y',
      'videos/x\ny',
      'videos/.heimdex.x.meta.json',
      'a'.repeat(1025),
    ];

    it.each(badKeys.map((k) => [JSON.stringify(k).slice(0, 40), k]))('rejects %s everywhere', async (_shown, key) => {
      await expect(storage.presignPut(key, { contentType: 'video/mp4', maxBytes: 1, ttlS: 60 })).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(storage.presignGet(key, { ttlS: 60 })).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(storage.stat(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(storage.openReadStream(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(storage.writeFromStream(key, Readable.from([Buffer.from('x')]), { maxBytes: 10, contentType: 'text/plain' })).rejects.toBeInstanceOf(
        InvalidObjectKeyError,
      );
      await expect(storage.put(key, Buffer.from('x'), { contentType: 'text/plain' })).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(storage.downloadToFile(key, join(root, 'out'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
      expect(
        storage.verifySignedRequest({
          method: 'GET',
          bucket: BUCKET,
          key,
          query: { [P.method]: 'GET', [P.expires]: '9999999999', [P.signature]: '0'.repeat(64) },
        }),
      ).toMatchObject({ ok: false, status: 400 });
    });

    it('rejects traversal and empty prefixes in deletePrefix', async () => {
      for (const prefix of ['', '/', '../', 'videos/../../', '..', 'videos//']) {
        await expect(storage.deletePrefix(prefix)).rejects.toBeInstanceOf(InvalidObjectKeyError);
      }
    });

    it('never writes outside the bucket directory', async () => {
      await storage.put('videos/..x/ok', Buffer.from('fine'), { contentType: 'text/plain' });
      expect(await readdir(root)).toEqual([BUCKET]);
    });
  });

  describe('objects', () => {
    it('writeFromStream stores the bytes and content type atomically', async () => {
      const { size } = await storage.writeFromStream('videos/u1/v1/source', chunks(5000), { maxBytes: 5000, contentType: 'video/mp4' });
      expect(size).toBe(5000);
      expect(await storage.stat('videos/u1/v1/source')).toMatchObject({ size: 5000, contentType: 'video/mp4' });
      expect(await readdir(join(root, BUCKET, 'videos/u1/v1'))).toEqual(['.heimdex.source.meta.json', 'source']);
    });

    it('writeFromStream over maxBytes throws, leaves no file and keeps the previous object', async () => {
      await expect(storage.writeFromStream('videos/u1/v1/source', chunks(5001), { maxBytes: 5000, contentType: 'video/mp4' })).rejects.toBeInstanceOf(
        ObjectTooLargeError,
      );
      expect(await storage.stat('videos/u1/v1/source')).toBeNull();
      expect(await readdir(join(root, BUCKET, 'videos/u1/v1'))).toEqual([]);

      await storage.put('videos/u1/v1/source', Buffer.from('old'), { contentType: 'text/plain' });
      const body = chunks(1024 * 1024, 64 * 1024);
      await expect(storage.writeFromStream('videos/u1/v1/source', body, { maxBytes: 100_000, contentType: 'video/mp4' })).rejects.toBeInstanceOf(
        ObjectTooLargeError,
      );
      expect(body.destroyed).toBe(false);
      expect(await storage.stat('videos/u1/v1/source')).toMatchObject({ size: 3, contentType: 'text/plain' });
      expect(await readdir(join(root, BUCKET, 'videos/u1/v1'))).toEqual(['.heimdex.source.meta.json', 'source']);
    });

    it('writeFromStream leaves no file when the body fails midway', async () => {
      const body = Readable.from(
        (async function* () {
          yield Buffer.from('partial');
          throw new Error('client went away');
        })(),
      );
      await expect(storage.writeFromStream('videos/u1/v1/source', body, { maxBytes: 5000, contentType: 'video/mp4' })).rejects.toThrow('client went away');
      expect(await readdir(join(root, BUCKET, 'videos/u1/v1'))).toEqual([]);
    });

    it('stores an empty object', async () => {
      await storage.put('videos/u1/v1/empty', Buffer.alloc(0), { contentType: 'application/octet-stream' });
      expect(await storage.stat('videos/u1/v1/empty')).toMatchObject({ size: 0, contentType: 'application/octet-stream' });
    });

    it('reads objects whole, by range, and to a file', async () => {
      await storage.put('videos/u1/v1/sidecar.json', Readable.from([Buffer.from('0123456789')]), { contentType: 'application/json' });
      expect(await text(await storage.getStream('videos/u1/v1/sidecar.json'))).toBe('0123456789');

      const whole = await storage.openReadStream('videos/u1/v1/sidecar.json');
      expect(whole).toMatchObject({ size: 10, contentType: 'application/json', range: null });
      expect(await text(whole!.stream)).toBe('0123456789');

      const part = await storage.openReadStream('videos/u1/v1/sidecar.json', { start: 2, end: 5 });
      expect(part).toMatchObject({ size: 10, range: { start: 2, end: 5 } });
      expect(await text(part!.stream)).toBe('2345');

      const tail = await storage.openReadStream('videos/u1/v1/sidecar.json', { start: 7, end: 100 });
      expect(tail).toMatchObject({ size: 10, range: { start: 7, end: 9 } });
      expect(await text(tail!.stream)).toBe('789');

      const open = await storage.openReadStream('videos/u1/v1/sidecar.json', { start: 8 });
      expect(await text(open!.stream)).toBe('89');

      const beyond = await storage.openReadStream('videos/u1/v1/sidecar.json', { start: 10 });
      expect(beyond).toMatchObject({ size: 10, range: null });
      expect(await text(beyond!.stream)).toBe('');

      const out = join(root, 'downloads', 'copy.json');
      await storage.downloadToFile('videos/u1/v1/sidecar.json', out);
      expect(await readFile(out, 'utf8')).toBe('0123456789');
    });

    it('a missing or unreadable sidecar gives a null content type, not an error', async () => {
      await storage.put('videos/u1/v1/a', Buffer.from('a'), { contentType: 'text/plain' });
      await storage.put('videos/u1/v1/b', Buffer.from('b'), { contentType: 'text/plain' });
      await writeFile(join(root, BUCKET, 'videos/u1/v1/.heimdex.a.meta.json'), '{not json');
      await rm(join(root, BUCKET, 'videos/u1/v1/.heimdex.b.meta.json'));
      expect(await storage.stat('videos/u1/v1/a')).toMatchObject({ size: 1, contentType: null });
      expect(await storage.stat('videos/u1/v1/b')).toMatchObject({ size: 1, contentType: null });
    });

    it('reports missing objects', async () => {
      expect(await storage.stat('videos/nope')).toBeNull();
      expect(await storage.openReadStream('videos/nope')).toBeNull();
      await storage.put('videos/file', Buffer.from('x'), { contentType: 'text/plain' });
      expect(await storage.stat('videos/file/below')).toBeNull();
      expect(await storage.stat('videos')).toBeNull();
      expect(await storage.openReadStream('videos')).toBeNull();
      await expect(storage.getStream('videos/nope')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(storage.downloadToFile('videos/nope', join(root, 'out'))).rejects.toBeInstanceOf(ObjectNotFoundError);
    });
  });

  describe('deletePrefix', () => {
    beforeEach(async () => {
      for (const key of [
        'videos/u1/v1/source',
        'videos/u1/v1/sidecar.json',
        'videos/u1/v1/thumbs/0001.jpg',
        'videos/u1/v1/thumbs/0002.jpg',
        'videos/u1/v2/source',
        'videos/u1/v10/source',
      ]) {
        await storage.put(key, Buffer.from(key), { contentType: 'text/plain' });
      }
    });

    it('deletes a video prefix and nothing else', async () => {
      expect(await storage.deletePrefix('videos/u1/v1/')).toBe(4);
      expect(await storage.stat('videos/u1/v1/source')).toBeNull();
      expect(await storage.stat('videos/u1/v1/thumbs/0001.jpg')).toBeNull();
      expect(await storage.stat('videos/u1/v2/source')).not.toBeNull();
      expect(await storage.stat('videos/u1/v10/source')).not.toBeNull();
      expect((await readdir(join(root, BUCKET, 'videos/u1'))).sort()).toEqual(['v10', 'v2']);
      expect(await storage.deletePrefix('videos/u1/v1/')).toBe(0);
    });

    it('treats a prefix as a string prefix, like S3, files included', async () => {
      expect(await storage.deletePrefix('videos/u1/v1/s')).toBe(2);
      expect(await storage.stat('videos/u1/v1/thumbs/0001.jpg')).not.toBeNull();
      expect(await storage.deletePrefix('videos/u1/v1')).toBe(3);
      expect(await storage.deletePrefix('videos/nobody/')).toBe(0);
      expect(await readdir(join(root, BUCKET, 'videos/u1'))).toEqual(['v2']);
    });
  });
});

function flipLastHex(hex: string): string {
  return hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
}
