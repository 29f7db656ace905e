/**
 * S3Storage against a real S3 API (s3rver, in-process on 127.0.0.1). s3rver does not check SigV4
 * signatures, so the signatures are checked here by recomputing them independently.
 */
import { BucketNotFoundError, ObjectNotFoundError, S3Storage, StorageConfigError } from '@heimdex/storage';
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import S3rver from 's3rver';

const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';
const REGION = 'us-east-1';

/** RFC 3986 percent-encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function awsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * The SigV4 query-string signature a store would expect for `url` when the request arrives with
 * `Host: host` (AWS "Authenticating Requests: Using Query Parameters"), written from the spec, not
 * from the minio client.
 */
function expectedSigV4(url: URL, method: string, host: string, bucket: string, key: string): string {
  const q = url.searchParams;
  const amzDate = q.get('X-Amz-Date') ?? '';
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${REGION}/s3/aws4_request`;
  expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
  expect(q.get('X-Amz-Credential')).toBe(`${ACCESS_KEY}/${scope}`);
  expect(q.get('X-Amz-SignedHeaders')).toBe('host');

  const canonicalUri = `/${bucket}/${key.split('/').map(awsEncode).join('/')}`;
  const canonicalQuery = [...q]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [awsEncode(name), awsEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [method, canonicalUri, canonicalQuery, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${SECRET_KEY}`, day), REGION), 's3'), 'aws4_request');
  return hmac(signingKey, stringToSign).toString('hex');
}

describe('S3Storage (s3rver)', () => {
  let server: S3rver;
  let dataDir: string;
  let port: number;

  const make = (opts: { bucket?: string; endpoint?: string; publicEndpoint?: string } = {}) =>
    new S3Storage({
      endpoint: opts.endpoint ?? `http://127.0.0.1:${port}`,
      publicEndpoint: opts.publicEndpoint ?? `http://127.0.0.1:${port}`,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      bucket: opts.bucket ?? 'heimdex-e2e',
      region: REGION,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'heimdex-s3rver-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dataDir });
    ({ port } = await server.run());
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ensureBucket creates the bucket once; ping needs it', async () => {
    const storage = make({ bucket: 'heimdex-fresh' });
    await expect(storage.ping()).rejects.toBeInstanceOf(BucketNotFoundError);
    await storage.ensureBucket();
    await storage.ensureBucket();
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  describe('objects', () => {
    const storage = () => make();
    beforeAll(async () => {
      await storage().ensureBucket();
    });

    it('a presigned PUT uploads with fetch; stat, getStream, downloadToFile and a presigned GET read it back', async () => {
      const s = storage();
      const key = 'videos/u1/v1/source';
      const body = Buffer.from('not really an mp4, but 44 bytes long enough.');
      const before = Date.now();
      const upload = await s.presignPut(key, { contentType: 'video/mp4', maxBytes: 1000, ttlS: 900 });
      expect(upload.method).toBe('PUT');
      expect(upload.headers).toEqual({ 'Content-Type': 'video/mp4' });
      expect(new URL(upload.url).searchParams.get('X-Amz-Expires')).toBe('900');
      expect(upload.expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
      expect(upload.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);

      const res = await fetch(upload.url, { method: upload.method, headers: upload.headers, body });
      expect(res.status).toBe(200);

      expect(await s.stat(key)).toMatchObject({ size: body.length, contentType: 'video/mp4' });
      expect(await text(await s.getStream(key))).toBe(body.toString());
      const file = join(dataDir, 'downloads', 'source.mp4');
      await s.downloadToFile(key, file);
      expect(await readFile(file)).toEqual(body);

      const download = await s.presignGet(key, { ttlS: 60, downloadName: 'Été (1).mp4' });
      const got = await fetch(download.url);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer())).toEqual(body);
      expect(got.headers.get('content-disposition')).toBe(`attachment; filename="_t_ (1).mp4"; filename*=UTF-8''%C3%89t%C3%A9%20%281%29.mp4`);
    });

    it('put takes a Buffer or a stream', async () => {
      const s = storage();
      await s.put('videos/u1/v1/sidecar.json', Buffer.from('{"a":1}'), { contentType: 'application/json' });
      await s.put('videos/u1/v1/sidecar.vtt', Readable.from([Buffer.from('WEBVTT\n'), '\n']), { contentType: 'text/vtt' });
      expect(await s.stat('videos/u1/v1/sidecar.json')).toMatchObject({ size: 7, contentType: 'application/json' });
      expect(await s.stat('videos/u1/v1/sidecar.vtt')).toMatchObject({ size: 8, contentType: 'text/vtt' });
    });

    it('missing objects: stat is null, reads throw ObjectNotFoundError', async () => {
      const s = storage();
      expect(await s.stat('videos/nobody/nothing')).toBeNull();
      await expect(s.getStream('videos/nobody/nothing')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(s.downloadToFile('videos/nobody/nothing', join(dataDir, 'nothing'))).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('deletePrefix removes everything under the prefix, in batches, and nothing else', async () => {
      const s = storage();
      // 1000 keys, then 'source' alone in a second DeleteObjects batch. The layout (one directory per
      // frame, 'source' keeping the parent non-empty during the first batch) keeps clear of a race in
      // s3rver's own empty-directory cleanup, which answers 500 when a batch empties a shared directory.
      const keys = Array.from({ length: 1000 }, (_, i) => `videos/u2/v1/${String(i).padStart(5, '0')}/frame.jpg`);
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((k) => s.put(k, Buffer.from('x'), { contentType: 'image/jpeg' })));
      }
      await s.put('videos/u2/v1/source', Buffer.from('src'), { contentType: 'video/mp4' });
      await s.put('videos/u2/v10/source', Buffer.from('other'), { contentType: 'video/mp4' });

      expect(await s.deletePrefix('videos/u2/v1/')).toBe(1001);
      expect(await s.stat('videos/u2/v1/source')).toBeNull();
      expect(await s.stat(keys[0] ?? '')).toBeNull();
      expect(await s.stat(keys[999] ?? '')).toBeNull();
      expect(await s.stat('videos/u2/v10/source')).toMatchObject({ size: 5, contentType: 'video/mp4' });
      expect(await s.deletePrefix('videos/u2/v1/')).toBe(0);
    });

    it('data operations use the internal endpoint only', async () => {
      // Nothing listens on the public endpoint: every call below must go to the internal one.
      const s = make({ publicEndpoint: 'http://localhost:1' });
      await s.ensureBucket();
      await s.ping();
      await s.put('videos/u3/v1/source', Buffer.from('abc'), { contentType: 'video/mp4' });
      expect(await s.stat('videos/u3/v1/source')).toMatchObject({ size: 3, contentType: 'video/mp4' });
      expect(await text(await s.getStream('videos/u3/v1/source'))).toBe('abc');
      expect(await s.deletePrefix('videos/u3/')).toBe(1);
    });
  });

  describe('presigned URLs are signed for the public endpoint (the host-rewrite bug)', () => {
    it('PUT and GET URLs carry the public host and a SigV4 signature valid for it, not for the internal host', async () => {
      const s = make({ endpoint: `http://127.0.0.1:${port}`, publicEndpoint: `http://localhost:${port}` });
      await s.ensureBucket();
      const key = 'videos/u4/v1/my clip (final).mp4';
      const publicHost = `localhost:${port}`;
      const internalHost = `127.0.0.1:${port}`;

      const put = await s.presignPut(key, { contentType: 'video/mp4', maxBytes: 100, ttlS: 600 });
      const get = await s.presignGet(key, { ttlS: 600, downloadName: "holiday's clip.mp4" });
      for (const signed of [put, get]) {
        const url = new URL(signed.url);
        expect(url.host).toBe(publicHost);
        expect(url.protocol).toBe('http:');
        const signature = url.searchParams.get('X-Amz-Signature');
        expect(signature).toMatch(/^[0-9a-f]{64}$/);
        expect(expectedSigV4(url, signed.method, publicHost, 'heimdex-e2e', key)).toBe(signature);
        expect(expectedSigV4(url, signed.method, internalHost, 'heimdex-e2e', key)).not.toBe(signature);
      }

      // The same server answers on both names, so the public URL is usable as is.
      const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: Buffer.from('public') });
      expect(res.status).toBe(200);
      expect(await s.stat(key)).toMatchObject({ size: 6, contentType: 'video/mp4' });
      expect(await (await fetch(get.url)).text()).toBe('public');
    });

    it('presigning makes no network call', async () => {
      const connect = jest.spyOn(net.Socket.prototype, 'connect');
      try {
        for (const publicEndpoint of ['http://127.0.0.1:1', 'https://storage.heimdex.invalid']) {
          const s = make({ endpoint: 'http://127.0.0.1:1', publicEndpoint });
          const put = await s.presignPut('videos/u5/v1/source', { contentType: 'video/mp4', maxBytes: 1, ttlS: 60 });
          const get = await s.presignGet('videos/u5/v1/source', { ttlS: 60 });
          expect(new URL(put.url).origin).toBe(new URL(publicEndpoint).origin);
          expect(new URL(get.url).origin).toBe(new URL(publicEndpoint).origin);
        }
        expect(connect).not.toHaveBeenCalled();

        // Control: the spy does see the client's connections, and nothing listens there.
        await expect(make({ endpoint: 'http://127.0.0.1:1' }).ping()).rejects.toThrow(/ECONNREFUSED/);
        expect(connect).toHaveBeenCalled();
      } finally {
        connect.mockRestore();
      }
    });
  });

  it('rejects endpoints that cannot work', () => {
    expect(() => make({ endpoint: 'minio:9000' })).toThrow(StorageConfigError);
    expect(() => make({ publicEndpoint: 'http://localhost:9000/s3' })).toThrow(StorageConfigError);
    expect(() => make({ endpoint: 'ftp://minio' })).toThrow(StorageConfigError);
    expect(
      () =>
        new S3Storage({
          endpoint: 'http://minio:9000',
          publicEndpoint: 'http://localhost:9000',
          accessKey: 'a',
          secretKey: 'b',
          bucket: 'heimdex',
          region: '',
        }),
    ).toThrow(StorageConfigError);
  });
});
