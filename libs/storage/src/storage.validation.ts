import { InvalidObjectKeyError, StorageConfigError } from './storage.errors';

/** S3's own limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/**
 * Both drivers accept the same keys, so switching drivers never changes which keys work. A segment
 * is capped well under the usual 255-byte file name limit so the local driver's sidecar and temp
 * names around it still fit.
 */
export const MAX_KEY_SEGMENT_BYTES = 200;
/** The local driver names its sidecar and temporary files with this; keys may not use it. */
export const RESERVED_SEGMENT_PREFIX = '.heimdex.';
/** S3's limit on a presigned URL's lifetime (7 days); the local driver keeps the same. */
export const MAX_PRESIGN_TTL_S = 7 * 24 * 3600;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Checks an object key: relative, `/`-separated, no empty, `.` or `..` segments, no backslash or control character. */
export function assertValidObjectKey(key: string): void {
  assertKeyCharacters(key, key);
  for (const segment of key.split('/')) assertSegment(key, segment);
}

/**
 * Checks a prefix for deletePrefix: every segment but the last is a full key segment; the last may be
 * empty (a prefix ending in `/`) or the start of a segment name.
 */
export function assertValidPrefix(prefix: string): void {
  assertKeyCharacters(prefix, prefix);
  const segments = prefix.split('/');
  const last = segments.pop() ?? '';
  for (const segment of segments) assertSegment(prefix, segment);
  if (last === '.' || last === '..') throw new InvalidObjectKeyError(prefix, `"${last}" is not a valid name`);
  if (Buffer.byteLength(last) > MAX_KEY_SEGMENT_BYTES) throw new InvalidObjectKeyError(prefix, `a segment is longer than ${MAX_KEY_SEGMENT_BYTES} bytes`);
}

export function assertValidBucketName(bucket: string): void {
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
    throw new StorageConfigError(`invalid bucket name ${JSON.stringify(bucket)}: 3-63 characters of a-z, 0-9, '.' and '-'`);
  }
}

export function assertPresignTtl(ttlS: number): void {
  if (!Number.isInteger(ttlS) || ttlS < 1 || ttlS > MAX_PRESIGN_TTL_S) {
    throw new RangeError(`ttlS must be a whole number of seconds from 1 to ${MAX_PRESIGN_TTL_S}, got ${ttlS}`);
  }
}

export function assertMaxBytes(maxBytes: number): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
}

/** A Content-Type or download name travels in a header: no control characters, not empty. */
export function assertHeaderValue(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024 || CONTROL_CHARS.test(value)) {
    throw new RangeError(`${what} must be 1-1024 characters without control characters`);
  }
}

function assertKeyCharacters(key: string, shown: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidObjectKeyError(String(shown), 'empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidObjectKeyError(shown, `longer than ${MAX_KEY_BYTES} bytes`);
  if (CONTROL_CHARS.test(key)) throw new InvalidObjectKeyError(shown, 'contains a control character');
  if (key.includes('\\')) throw new InvalidObjectKeyError(shown, 'contains a backslash');
  if (key.startsWith('/')) throw new InvalidObjectKeyError(shown, 'absolute');
  try {
    encodeURIComponent(key);
  } catch {
    throw new InvalidObjectKeyError(shown, 'is not well-formed Unicode');
  }
}

function assertSegment(key: string, segment: string): void {
  if (segment === '') throw new InvalidObjectKeyError(key, 'has an empty segment (a leading, doubled or trailing "/")');
  if (segment === '.' || segment === '..') throw new InvalidObjectKeyError(key, `has a "${segment}" segment`);
  if (segment.startsWith(RESERVED_SEGMENT_PREFIX)) throw new InvalidObjectKeyError(key, `a segment starts with the reserved "${RESERVED_SEGMENT_PREFIX}"`);
  if (Buffer.byteLength(segment) > MAX_KEY_SEGMENT_BYTES) throw new InvalidObjectKeyError(key, `a segment is longer than ${MAX_KEY_SEGMENT_BYTES} bytes`);
}
