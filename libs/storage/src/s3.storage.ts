import { Client, S3Error, type ClientOptions } from 'minio';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentDisposition } from './content-disposition';
import type { ObjectStat, ObjectStorage, PresignedRequest } from './object-storage';
import { untilClosed } from './part-file';
import { BucketNotFoundError, ObjectNotFoundError, StorageConfigError } from './storage.errors';
import { assertHeaderValue, assertMaxBytes, assertPresignTtl, assertValidBucketName, assertValidObjectKey, assertValidPrefix } from './storage.validation';

export interface S3StorageOptions {
  /** Where this process reaches the store, e.g. `http://minio:9000`. Every data operation goes here. */
  endpoint: string;
  /** Where clients reach the store, e.g. `http://localhost:9000`. Presigned URLs are signed for this host. */
  publicEndpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/**
 * Fixed multipart part size. minio otherwise sizes parts for a 5 TiB object when the length is
 * unknown (~530 MiB, buffered in memory); 64 MiB parts still allow objects of 625 GiB.
 */
const PART_SIZE = 64 * 1024 * 1024;
/** S3's DeleteObjects accepts at most this many keys a request. */
const DELETE_BATCH = 1000;
const NOT_FOUND_CODES = new Set(['NotFound', 'NoSuchKey']);

/**
 * S3-compatible storage through the `minio` client.
 *
 * SigV4 signs the Host header, so a URL signed for the internal host (`minio:9000`) and then
 * rewritten to the public one is rejected by the store. Presigning therefore uses a second client
 * configured with the public endpoint. Both clients carry the region, so the client never asks the
 * store for it: presigning is pure computation and works even where the public host is not
 * reachable from this process.
 */
export class S3Storage implements ObjectStorage {
  readonly driver = 's3' as const;
  readonly bucket: string;
  private readonly region: string;
  private readonly client: Client;
  private readonly presigner: Client;

  constructor(opts: S3StorageOptions) {
    assertValidBucketName(opts.bucket);
    if (!opts.region) throw new StorageConfigError('the S3 region must be set (presigning must not ask the store for it)');
    if (!opts.accessKey || !opts.secretKey) throw new StorageConfigError('the S3 access key and secret key must be set');
    this.bucket = opts.bucket;
    this.region = opts.region;
    const shared = { accessKey: opts.accessKey, secretKey: opts.secretKey, region: opts.region, pathStyle: true };
    this.client = new Client({ ...endpointOptions('endpoint', opts.endpoint), ...shared, partSize: PART_SIZE });
    this.presigner = new Client({ ...endpointOptions('publicEndpoint', opts.publicEndpoint), ...shared });
  }

  async ensureBucket(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (err: unknown) {
      // Another process (the api and the worker start together) may have created it meanwhile.
      if (err instanceof S3Error && err.code === 'BucketAlreadyOwnedByYou') return;
      if (await this.client.bucketExists(this.bucket)) return;
      throw err;
    }
  }

  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) throw new BucketNotFoundError(this.bucket);
  }

  async presignPut(key: string, opts: { contentType: string; maxBytes: number; ttlS: number }): Promise<PresignedRequest> {
    assertValidObjectKey(key);
    assertHeaderValue('contentType', opts.contentType);
    // A plain presigned PUT cannot carry a size limit: the caller enforces maxBytes when the upload completes (stat).
    assertMaxBytes(opts.maxBytes);
    assertPresignTtl(opts.ttlS);
    const signedAt = new Date();
    const url = await this.presigner.presignedUrl('PUT', this.bucket, key, opts.ttlS, {}, signedAt);
    return { url, method: 'PUT', headers: { 'Content-Type': opts.contentType }, expiresAt: expiry(signedAt, opts.ttlS) };
  }

  async presignGet(key: string, opts: { ttlS: number; downloadName?: string }): Promise<PresignedRequest> {
    assertValidObjectKey(key);
    assertPresignTtl(opts.ttlS);
    const params: Record<string, string> = {};
    if (opts.downloadName !== undefined) {
      assertHeaderValue('downloadName', opts.downloadName);
      params['response-content-disposition'] = contentDisposition(opts.downloadName);
    }
    const signedAt = new Date();
    const url = await this.presigner.presignedUrl('GET', this.bucket, key, opts.ttlS, params, signedAt);
    return { url, method: 'GET', headers: {}, expiresAt: expiry(signedAt, opts.ttlS) };
  }

  async stat(key: string): Promise<ObjectStat | null> {
    assertValidObjectKey(key);
    try {
      const st = await this.client.statObject(this.bucket, key);
      const contentType: unknown = st.metaData['content-type'];
      return { size: st.size, contentType: typeof contentType === 'string' ? contentType : null, etag: st.etag || null };
    } catch (err: unknown) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async getStream(key: string): Promise<Readable> {
    assertValidObjectKey(key);
    try {
      return await this.client.getObject(this.bucket, key);
    } catch (err: unknown) {
      if (isNotFound(err)) throw new ObjectNotFoundError(this.bucket, key);
      throw err;
    }
  }

  /** Streams to a temporary file beside `path`, renamed into place once complete. */
  async downloadToFile(key: string, path: string): Promise<void> {
    const body = await this.getStream(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.part`;
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      await pipeline(body, out);
      await rename(tmp, path);
    } catch (err: unknown) {
      await untilClosed(out);
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async put(key: string, body: Buffer | Readable, opts: { contentType: string }): Promise<void> {
    assertValidObjectKey(key);
    assertHeaderValue('contentType', opts.contentType);
    const meta = { 'Content-Type': opts.contentType };
    if (Buffer.isBuffer(body)) {
      await this.client.putObject(this.bucket, key, body, body.length, meta);
      return;
    }
    // A stream of unknown length always goes multipart in minio; read up to one part first so that
    // small objects (sidecars, thumbnails) are a single PUT.
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<unknown>;
    const head: Buffer[] = [];
    let size = 0;
    while (size <= PART_SIZE) {
      const next = await chunks.next();
      if (next.done) {
        await this.client.putObject(this.bucket, key, Buffer.concat(head, size), size, meta);
        return;
      }
      const chunk = toBuffer(next.value);
      head.push(chunk);
      size += chunk.length;
    }
    const rest = Readable.from(
      (async function* () {
        try {
          yield* head;
          for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield toBuffer(next.value);
        } finally {
          await chunks.return?.();
        }
      })(),
    );
    await this.client.putObject(this.bucket, key, rest, undefined, meta);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix);
    const keys = await this.listKeys(prefix);
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const results = await this.client.removeObjects(this.bucket, keys.slice(i, i + DELETE_BATCH));
      const failed = results.find((r) => r?.Error);
      if (failed?.Error)
        throw new Error(`could not delete ${failed.Error.Key ?? 'an object'}: ${failed.Error.Code ?? ''} ${failed.Error.Message ?? ''}`.trim());
    }
    return keys.length;
  }

  private listKeys(prefix: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const keys: string[] = [];
      const listing = this.client.listObjects(this.bucket, prefix, true);
      listing.on('data', (item) => {
        if (item.name) keys.push(item.name);
      });
      listing.on('error', reject);
      listing.on('end', () => resolve(keys));
    });
  }
}

function endpointOptions(setting: string, endpoint: string): Pick<ClientOptions, 'endPoint' | 'port' | 'useSSL'> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new StorageConfigError(`${setting} must be a URL such as http://minio:9000, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new StorageConfigError(`${setting} must be http:// or https://`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new StorageConfigError(`${setting} must be scheme, host and port only (no path, query or credentials): ${endpoint}`);
  }
  const useSSL = url.protocol === 'https:';
  return {
    endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
  };
}

/** SigV4's X-Amz-Date has whole seconds, so the URL expires ttlS after the truncated signing time. */
function expiry(signedAt: Date, ttlS: number): Date {
  return new Date((Math.floor(signedAt.getTime() / 1000) + ttlS) * 1000);
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string' || chunk instanceof Uint8Array) return Buffer.from(chunk);
  throw new TypeError('put() takes a stream of bytes');
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3Error && err.code !== undefined && NOT_FOUND_CODES.has(err.code);
}
