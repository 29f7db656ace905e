import { randomUUID } from 'node:crypto';
import { constants, createWriteStream, type Dirent } from 'node:fs';
import { access, copyFile, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { finished, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LocalUrlSigner, SIGNED_URL_PARAMS, type SignedRequestVerdict, type VerifySignedRequestInput } from './local-url-signer';
import type { ObjectStat, ObjectStorage, PresignedRequest } from './object-storage';
import { untilClosed } from './part-file';
import { BucketNotFoundError, InvalidObjectKeyError, ObjectNotFoundError, ObjectTooLargeError, StorageConfigError, UploadClosedError } from './storage.errors';
import {
  assertHeaderValue,
  assertMaxBytes,
  assertPresignTtl,
  assertValidBucketName,
  assertValidObjectKey,
  assertValidPrefix,
  RESERVED_SEGMENT_PREFIX,
} from './storage.validation';

export interface LocalDiskStorageOptions {
  /** Directory holding one sub-directory per bucket. */
  root: string;
  bucket: string;
  /** HMAC key for presigned URLs; at least 16 characters. */
  signingKey: string;
  /** The API's base URL as clients see it, e.g. `http://localhost:3000`; presigned URLs point at `<publicUrl>/storage/...`. */
  publicUrl: string;
}

/** An HTTP byte range, inclusive; `end` absent means to the end of the object. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface OpenedObject {
  stream: Readable;
  /** The whole object's size, whatever range was asked. */
  size: number;
  contentType: string | null;
  /**
   * The inclusive byte range the stream holds (`end` clamped to the object). null when no range was
   * asked, or when the asked range cannot be satisfied (start past the end): then the stream is empty
   * and the caller answers 416.
   */
  range: { start: number; end: number } | null;
}

const P = SIGNED_URL_PARAMS;
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/**
 * The embedded object store: files under `<root>/<bucket>/<key>`, presigned URLs served by the API
 * (`/storage/<bucket>/<key>`) and signed by LocalUrlSigner.
 *
 * Files: each object's content type sits in a sidecar `.heimdex.<name>.meta.json` beside it, and
 * uploads land in `.heimdex.<name>.<uuid>.tmp` before an atomic rename. Keys may not have segments
 * starting with `.heimdex.`, so these never collide with objects.
 */
export class LocalDiskStorage implements ObjectStorage {
  readonly driver = 'local' as const;
  readonly bucket: string;
  private readonly bucketDir: string;
  private readonly signer: LocalUrlSigner;

  constructor(opts: LocalDiskStorageOptions) {
    assertValidBucketName(opts.bucket);
    if (typeof opts.signingKey !== 'string' || opts.signingKey.length < 16)
      throw new StorageConfigError('the storage signing key must be at least 16 characters');
    if (!opts.root) throw new StorageConfigError('the storage root directory must be set');
    this.bucket = opts.bucket;
    this.bucketDir = join(resolve(opts.root), opts.bucket);
    this.signer = new LocalUrlSigner(opts.bucket, opts.signingKey, normalisePublicUrl(opts.publicUrl));
  }

  async ensureBucket(): Promise<void> {
    await mkdir(this.bucketDir, { recursive: true });
  }

  async ping(): Promise<void> {
    try {
      if (!(await stat(this.bucketDir)).isDirectory()) throw new BucketNotFoundError(this.bucket);
      await access(this.bucketDir, constants.W_OK);
    } catch (err: unknown) {
      if (isMissing(err)) throw new BucketNotFoundError(this.bucket);
      throw err;
    }
  }

  async presignPut(key: string, opts: { contentType: string; maxBytes: number; ttlS: number }): Promise<PresignedRequest> {
    assertValidObjectKey(key);
    assertHeaderValue('contentType', opts.contentType);
    assertMaxBytes(opts.maxBytes);
    assertPresignTtl(opts.ttlS);
    const expires = Math.floor(Date.now() / 1000) + opts.ttlS;
    const params = new Map<string, string>([
      [P.method, 'PUT'],
      [P.expires, String(expires)],
      [P.maxBytes, String(opts.maxBytes)],
      [P.contentType, opts.contentType],
    ]);
    return {
      url: this.signer.signedUrl('PUT', key, params),
      method: 'PUT',
      headers: { 'Content-Type': opts.contentType },
      expiresAt: new Date(expires * 1000),
    };
  }

  async presignGet(key: string, opts: { ttlS: number; downloadName?: string }): Promise<PresignedRequest> {
    assertValidObjectKey(key);
    assertPresignTtl(opts.ttlS);
    const expires = Math.floor(Date.now() / 1000) + opts.ttlS;
    const params = new Map<string, string>([
      [P.method, 'GET'],
      [P.expires, String(expires)],
    ]);
    if (opts.downloadName !== undefined) {
      assertHeaderValue('downloadName', opts.downloadName);
      params.set(P.downloadName, opts.downloadName);
    }
    return { url: this.signer.signedUrl('GET', key, params), method: 'GET', headers: {}, expiresAt: new Date(expires * 1000) };
  }

  /** Checks a request against the presigned URL it came with. Never throws for bad input. */
  verifySignedRequest(input: VerifySignedRequestInput): SignedRequestVerdict {
    return this.signer.verify(input);
  }

  async stat(key: string): Promise<ObjectStat | null> {
    const file = this.objectPath(key);
    try {
      const st = await stat(file);
      if (!st.isFile()) return null;
      // Uploads are renamed into place, so a new write is a new inode with a new mtime.
      const etag = `${st.ino.toString(16)}-${st.size.toString(16)}-${Math.round(st.mtimeMs * 1000).toString(16)}`;
      return { size: st.size, contentType: await readContentType(file), etag };
    } catch (err: unknown) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async getStream(key: string): Promise<Readable> {
    const opened = await this.openReadStream(key);
    if (!opened) throw new ObjectNotFoundError(this.bucket, key);
    return opened.stream;
  }

  /** Opens an object for reading, optionally a byte range of it; null when it does not exist. */
  async openReadStream(key: string, range?: ByteRange): Promise<OpenedObject | null> {
    const file = this.objectPath(key);
    if (range) {
      if (!Number.isInteger(range.start) || range.start < 0) throw new RangeError(`range start must be a non-negative integer, got ${range.start}`);
      if (range.end !== undefined && (!Number.isInteger(range.end) || range.end < 0))
        throw new RangeError(`range end must be a non-negative integer, got ${range.end}`);
    }
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (err: unknown) {
      if (isMissing(err) || errorCode(err) === 'EISDIR') return null;
      throw err;
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) {
        await handle.close();
        return null;
      }
      const contentType = await readContentType(file);
      const size = st.size;
      if (!range) return { stream: handle.createReadStream(), size, contentType, range: null };
      const end = Math.min(range.end ?? size - 1, size - 1);
      if (range.start >= size || end < range.start) {
        await handle.close();
        return { stream: Readable.from([]), size, contentType, range: null };
      }
      return { stream: handle.createReadStream({ start: range.start, end }), size, contentType, range: { start: range.start, end } };
    } catch (err: unknown) {
      await handle.close().catch(() => undefined);
      throw err;
    }
  }

  async downloadToFile(key: string, path: string): Promise<void> {
    const file = this.objectPath(key);
    await mkdir(dirname(path), { recursive: true });
    try {
      await copyFile(file, path);
    } catch (err: unknown) {
      if (isMissing(err) || errorCode(err) === 'EISDIR') throw new ObjectNotFoundError(this.bucket, key);
      throw err;
    }
  }

  async put(key: string, body: Buffer | Readable, opts: { contentType: string }): Promise<void> {
    assertHeaderValue('contentType', opts.contentType);
    await this.writeObject(key, Buffer.isBuffer(body) ? Readable.from([body]) : body, opts.contentType, Number.POSITIVE_INFINITY);
  }

  /**
   * Stores an upload: written to a temporary file beside the object, renamed over it once complete.
   * Past maxBytes the write stops, the temporary file is removed and ObjectTooLargeError is thrown;
   * `body` is then unpiped but not destroyed, so an HTTP server can still answer 413 on its socket.
   */
  async writeFromStream(
    key: string,
    body: Readable,
    opts: { maxBytes: number; contentType: string; mayCommit?: () => Promise<boolean> },
  ): Promise<{ size: number }> {
    assertMaxBytes(opts.maxBytes);
    assertHeaderValue('contentType', opts.contentType);
    return this.writeObject(key, body, opts.contentType, opts.maxBytes, opts.mayCommit);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix);
    const segments = prefix.split('/');
    const namePrefix = segments.pop() ?? '';
    const dir = join(this.bucketDir, ...segments);
    if (!this.isInsideBucket(dir)) throw new InvalidObjectKeyError(prefix, 'resolves outside the bucket');
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err: unknown) {
      if (isMissing(err)) return 0;
      throw err;
    }
    let deleted = 0;
    for (const entry of entries) {
      if (entry.name.startsWith(RESERVED_SEGMENT_PREFIX) || !entry.name.startsWith(namePrefix)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        deleted += await countObjects(path);
        await rm(path, { recursive: true, force: true });
      } else if (entry.isFile()) {
        await rm(path, { force: true });
        await rm(sidecarPath(path), { force: true });
        deleted += 1;
      }
    }
    await this.pruneEmptyDirs(dir);
    return deleted;
  }

  /** `mayCommit`, asked once every byte is on disk: false discards the upload (UploadClosedError) instead of replacing the object. */
  private async writeObject(key: string, body: Readable, contentType: string, maxBytes: number, mayCommit?: () => Promise<boolean>): Promise<{ size: number }> {
    const file = this.objectPath(key);
    const dir = dirname(file);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${RESERVED_SEGMENT_PREFIX}${basename(file)}.${randomUUID()}.tmp`);
    let size = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        size += chunk.length;
        if (size > maxBytes) callback(new ObjectTooLargeError(maxBytes));
        else callback(null, chunk);
      },
    });
    // pipe() rather than pipeline() for the body: pipeline would destroy it (for an HTTP request, the socket) on overflow.
    const stopWatchingBody = finished(body, (err) => {
      if (err) limiter.destroy(err);
    });
    body.pipe(limiter);
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      await pipeline(limiter, out);
      if (mayCommit && !(await mayCommit())) throw new UploadClosedError(key);
      await writeContentType(file, contentType);
      await rename(tmp, file);
      return { size };
    } catch (err: unknown) {
      body.unpipe(limiter);
      await untilClosed(out);
      await rm(tmp, { force: true });
      throw err;
    } finally {
      stopWatchingBody();
    }
  }

  private objectPath(key: string): string {
    assertValidObjectKey(key);
    const path = join(this.bucketDir, ...key.split('/'));
    if (path === this.bucketDir || !this.isInsideBucket(path)) throw new InvalidObjectKeyError(key, 'resolves outside the bucket');
    return path;
  }

  /** Second line of defence after key validation: a path must stay under (or be) the bucket directory. */
  private isInsideBucket(path: string): boolean {
    const rel = relative(this.bucketDir, path);
    return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  }

  /** Removes `dir` and its parents while they are empty, stopping at the bucket directory. */
  private async pruneEmptyDirs(dir: string): Promise<void> {
    let current = dir;
    while (current !== this.bucketDir && this.isInsideBucket(current)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = dirname(current);
    }
  }
}

function normalisePublicUrl(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new StorageConfigError(`publicUrl must be a URL such as http://localhost:3000, got ${JSON.stringify(publicUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new StorageConfigError('publicUrl must be http:// or https://');
  if (url.search || url.hash) throw new StorageConfigError('publicUrl must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

function sidecarPath(file: string): string {
  return join(dirname(file), `${RESERVED_SEGMENT_PREFIX}${basename(file)}.meta.json`);
}

async function readContentType(file: string): Promise<string | null> {
  try {
    const meta: unknown = JSON.parse(await readFile(sidecarPath(file), 'utf8'));
    if (typeof meta === 'object' && meta !== null && 'contentType' in meta && typeof meta.contentType === 'string') return meta.contentType;
    return null;
  } catch (err: unknown) {
    if (isMissing(err) || err instanceof SyntaxError) return null;
    throw err;
  }
}

async function writeContentType(file: string, contentType: string): Promise<void> {
  const sidecar = sidecarPath(file);
  const tmp = `${sidecar}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify({ contentType }), { flag: 'wx' });
    await rename(tmp, sidecar);
  } catch (err: unknown) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function countObjects(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(RESERVED_SEGMENT_PREFIX)) continue;
    if (entry.isDirectory()) count += await countObjects(join(dir, entry.name));
    else if (entry.isFile()) count += 1;
  }
  return count;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && MISSING.has(code);
}
