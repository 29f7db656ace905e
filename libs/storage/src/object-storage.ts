import type { Readable } from 'node:stream';

/** A request the client makes straight to storage: the API never proxies video bytes. */
export interface PresignedRequest {
  url: string;
  method: 'PUT' | 'GET';
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface ObjectStat {
  size: number;
  contentType: string | null;
  /** Changes whenever the object is written again (S3: its ETag; local disk: inode, size and mtime). */
  etag: string | null;
}

/**
 * What the api and the worker need from object storage. Two drivers: S3 (MinIO or any
 * S3-compatible store, via the `minio` client) and local disk (the embedded default, whose
 * presigned URLs are HMAC-signed and served by the API).
 */
export interface ObjectStorage {
  readonly driver: 'local' | 's3';
  readonly bucket: string;
  /** Creates the bucket if missing. Called once at start. */
  ensureBucket(): Promise<void>;
  /** Readiness check: throws when storage cannot be reached. */
  ping(): Promise<void>;
  presignPut(key: string, opts: { contentType: string; maxBytes: number; ttlS: number }): Promise<PresignedRequest>;
  presignGet(key: string, opts: { ttlS: number; downloadName?: string }): Promise<PresignedRequest>;
  /** null when the object does not exist. */
  stat(key: string): Promise<ObjectStat | null>;
  getStream(key: string): Promise<Readable>;
  downloadToFile(key: string, path: string): Promise<void>;
  put(key: string, body: Buffer | Readable, opts: { contentType: string }): Promise<void>;
  /** Deletes every object under the prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
}

export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');
