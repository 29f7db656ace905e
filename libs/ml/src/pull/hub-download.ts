import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface DownloadTimeouts {
  /** Until the server answers (headers); short, so an unreachable host fails fast. */
  answerMs: number;
  /** Longest pause between two chunks of a body. */
  idleMs: number;
}

export interface DownloadedFile {
  sha256: string;
  bytes: number;
  /** The Hub's `X-Repo-Commit` header: the revision the file came from, when given. */
  commit: string | null;
}

/** Raised when the host cannot be reached at all (DNS, refused, no answer in time). */
export class HostUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly why: string,
  ) {
    super(`could not reach ${url} (${why})`);
    this.name = 'HostUnreachableError';
  }
}

/** The body broke off (stall, reset): what arrived stays on disk and the next pull resumes it. */
export class DownloadInterruptedError extends Error {
  override readonly name = 'DownloadInterruptedError';
}

/** Checks that the host answers at all, before any folder is created. */
export async function probeHost(url: string, timeoutMs: number): Promise<void> {
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
  } catch (err) {
    throw new HostUnreachableError(url, networkReason(err, timeoutMs));
  }
}

/** Bytes so far, the whole size when the server said it, and the rate of this session. */
export interface DownloadProgress {
  bytes: number;
  total: number | null;
  bytesPerSecond: number;
  /** Bytes that were already on disk from an interrupted pull and were not fetched again. */
  resumedFrom: number;
}

/**
 * Streams a URL into a file, hashing on the way. When `target` already holds the start of the
 * file (an interrupted pull), only the rest is requested (HTTP Range); a server that ignores
 * the range sends the whole file, which then replaces the partial one.
 */
export async function downloadFile(
  url: string,
  target: string,
  timeouts: DownloadTimeouts,
  onProgress?: (p: DownloadProgress) => void,
): Promise<DownloadedFile> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(new Error(`no answer within ${seconds(timeouts.answerMs)}`)), timeouts.answerMs);
  try {
    const partial = (await stat(target).catch(() => null))?.size ?? 0;
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'follow', signal: controller.signal, headers: partial ? { Range: `bytes=${partial}-` } : {} });
    } catch (err) {
      throw new HostUnreachableError(url, networkReason(err, timeouts.answerMs));
    }
    if (res.status === 416 && partial) {
      // The partial file is already whole (or longer than the file): fetch it again from scratch.
      await res.body?.cancel();
      await mkdir(dirname(target), { recursive: true });
      await new Promise<void>((resolve, reject) => createWriteStream(target).on('error', reject).end(resolve));
      return downloadFile(url, target, timeouts, onProgress);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
    }
    const resumedFrom = res.status === 206 && partial ? partial : 0;
    const hash = createHash('sha256');
    if (resumedFrom)
      await pipeline(createReadStream(target, { end: resumedFrom - 1 }), new Transform({ transform: (c: Buffer, _e, cb) => (hash.update(c), cb()) }));
    const length = Number(res.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? resumedFrom + length : null;
    let bytes = resumedFrom;
    const started = Date.now();
    let reported = 0;
    const report = (force: boolean) => {
      if (!onProgress || (!force && Date.now() - reported < 500)) return;
      reported = Date.now();
      onProgress({ bytes, total, bytesPerSecond: ((bytes - resumedFrom) * 1000) / Math.max(1, reported - started), resumedFrom });
    };
    const watch = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(new Error(`stalled for ${seconds(timeouts.idleMs)}`)), timeouts.idleMs);
        hash.update(chunk);
        bytes += chunk.length;
        report(false);
        callback(null, chunk);
      },
    });
    await mkdir(dirname(target), { recursive: true });
    const file = createWriteStream(target, { flags: resumedFrom ? 'a' : 'w' });
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), watch, file);
      report(true);
    } catch (err) {
      // pipeline rejects as soon as the body breaks off, while writes already handed to the file
      // may still be landing; the next pull resumes from the file's size, so wait until it is shut.
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      const reason = (controller.signal.aborted ? controller.signal.reason : err) as ErrorLike;
      throw new DownloadInterruptedError(`${url}: download failed: ${typeof reason.message === 'string' ? reason.message : String(reason)}`);
    }
    return { sha256: hash.digest('hex'), bytes, commit: res.headers.get('x-repo-commit') };
  } finally {
    clearTimeout(timer);
  }
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/**
 * Node's fetch hides the cause (ENOTFOUND, ECONNREFUSED, ...) one level down. Duck-typed: the
 * errors come from Node's own realm, which is not the caller's under a test VM.
 */
function networkReason(err: unknown, timeoutMs: number): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${seconds(timeoutMs)}`;
  const cause = (typeof e.cause === 'object' && e.cause !== null ? e.cause : null) as ErrorLike | null;
  if (cause && typeof cause.message === 'string') {
    const code = typeof cause.code === 'string' ? cause.code : null;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return typeof e.message === 'string' ? e.message : String(err);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
