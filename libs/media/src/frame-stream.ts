import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { MediaRunLimits, runMediaProcess } from './media-process';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import type { PixelRows } from './frame-signature';

export interface FrameStreamOptions {
  /** Frames per second decoded (ffmpeg's fps filter: frame k shows time k / fps from the start; the last frame is always passed on). */
  fps: number;
  /** Longest side of the frames (never enlarged). */
  maxSide: number;
  /**
   * Leave undecoded the frames no other frame is predicted from (most B-frames): the fps filter
   * then repeats the last decoded frame, as many frames earlier as the encoder put non-reference
   * frames in a row (one with x264's default B-pyramid; up to three, about 0.12 s at 24 fps,
   * without one). Cheaper when `fps` is well below the video's own rate.
   */
  skipNonReference?: boolean;
  /** Memory, time and cancellation bounds of the ffmpeg child. */
  limits?: MediaRunLimits;
}

export interface FrameStream {
  /** Each frame is valid until the next is asked for. */
  frames: AsyncGenerator<StreamedFrame>;
  /** Resolves when ffmpeg has exited cleanly; rejects with its first error line otherwise. */
  done: Promise<void>;
}

/**
 * Decoder threads: twice the cores, 4 at least and 16 at most (the most ffmpeg picks by itself,
 * MAX_AUTO_THREADS). ffmpeg's default (cores + 1) leaves a core partly idle on small machines while
 * H.264 frame threads wait on each other, more so with non-reference frames skipped; more frames
 * in flight fill it.
 */
export function decodeThreads(cores = availableParallelism()): number {
  return Math.min(16, Math.max(4, 2 * cores));
}

const SIZE_LINE = /Video: rawvideo.*?, (\d+)x(\d+)[\s,[]/;

/**
 * The first video stream decoded once, as raw RGB frames on ffmpeg's stdout. One linear filter
 * chain and one output: nothing in the graph can queue frames for a branch that is not read,
 * and the pipe stops ffmpeg while a frame waits here (memory stays at a few frames whatever the
 * resolution). The child runs under the media limits like every other.
 */
export function decodeFrames(bins: FfmpegBinaries, input: string, opts: FrameStreamOptions): FrameStream {
  const side = opts.maxSide;
  // eof_action=pass: the fps filter otherwise drops a last frame shorter than half its interval,
  // so a stream of one still picture (a podcast's cover image, 0.04 s long) gave no frame at all.
  const fps = `fps=${opts.fps}:eof_action=pass`;
  const scale = `scale='if(gte(iw,ih),min(${side},iw),-2)':'if(gte(iw,ih),-2,min(${side},ih))'`;
  // Stopping early (the reader left the loop) kills ffmpeg's group like a cancellation does.
  const stop = new AbortController();
  const signal = opts.limits?.signal ? AbortSignal.any([opts.limits.signal, stop.signal]) : stop.signal;
  let stdout: Readable | null = null;
  let header = '';
  let size: { width: number; height: number } | null = null;
  let announce: (() => void) | null = null;
  const sized = new Promise<void>((resolve) => (announce = resolve));
  const done = runMediaProcess(
    bins.ffmpeg,
    [
      '-hide_banner',
      '-nostdin',
      '-nostats',
      ...(opts.skipNonReference ? ['-skip_frame', 'noref'] : []),
      '-threads',
      String(decodeThreads()),
      '-i',
      input,
      '-map',
      '0:v:0',
      '-an',
      '-sn',
      '-vf',
      `${fps},${scale},format=rgb24`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    {
      label: 'frame decoding',
      limits: { memoryMb: opts.limits?.memoryMb ?? null, timeoutMs: opts.limits?.timeoutMs ?? null, signal },
      onStdout: (s) => (stdout = s),
      onStderrLine: (line) => {
        if (size) return;
        if (header.length < 64 * 1024) header += `${line}\n`;
        const m = SIZE_LINE.exec(header.slice(header.indexOf('Output #0')));
        if (header.includes('Output #0') && m) {
          size = { width: Number(m[1]), height: Number(m[2]) };
          announce?.();
        }
      },
    },
  ).then(
    () => undefined,
    (err: unknown) => {
      announce?.();
      throw err;
    },
  );
  void done.finally(() => announce?.()).catch(() => undefined);

  async function* frames(): AsyncGenerator<StreamedFrame> {
    // The pipe's chunks not yet consumed, the first from byte `start`; a frame is handed out as a view over them, not copied.
    let pending: Buffer[] = [];
    let start = 0;
    let pendingBytes = 0;
    let read = false;
    try {
      if (!stdout) return;
      for await (const chunk of stdout as AsyncIterable<Buffer>) {
        if (!size) await sized;
        if (!size) break;
        const { width, height } = size;
        const frameBytes = width * height * 3;
        pending.push(chunk);
        pendingBytes += chunk.length;
        while (pendingBytes - start >= frameBytes) {
          yield new StreamedFrame(width, height, pending.slice(), start);
          start += frameBytes;
          let drop = 0;
          while (drop < pending.length && start >= pending[drop].length) start -= pending[drop++].length;
          if (drop) {
            pendingBytes -= pending.slice(0, drop).reduce((n, b) => n + b.length, 0);
            pending = pending.slice(drop);
          }
        }
      }
      read = true;
    } finally {
      if (!read && size) stop.abort();
    }
  }
  return { frames: frames(), done };
}

/** One decoded frame over the pipe's chunks: rows are read where they lie (a row split between two chunks is copied whole). */
export class StreamedFrame implements PixelRows {
  private readonly ends: number[] = [];
  private readonly scratch: Buffer;
  private cursor = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly chunks: readonly Buffer[],
    private readonly start: number,
  ) {
    let end = 0;
    for (const c of chunks) this.ends.push((end += c.length));
    this.scratch = Buffer.allocUnsafe(width * 3);
  }

  row(y: number): { data: Uint8Array; offset: number } {
    const stride = this.width * 3;
    const from = this.start + y * stride;
    if (this.cursor > 0 && from < this.ends[this.cursor - 1]) this.cursor = 0;
    while (this.ends[this.cursor] <= from) this.cursor += 1;
    const chunkStart = this.ends[this.cursor] - this.chunks[this.cursor].length;
    if (from + stride <= this.ends[this.cursor]) return { data: this.chunks[this.cursor], offset: from - chunkStart };
    let copied = 0;
    for (let i = this.cursor; copied < stride; i++) {
      const begin = i === this.cursor ? from - chunkStart : 0;
      copied += this.chunks[i].copy(this.scratch, copied, begin, Math.min(this.chunks[i].length, begin + stride - copied));
    }
    return { data: this.scratch, offset: 0 };
  }

  /** The frame as one packed RGB buffer (a copy). */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.width * this.height * 3);
    let skip = this.start;
    for (let i = 0, copied = 0; copied < out.length; i++) {
      copied += this.chunks[i].copy(out, copied, skip, Math.min(this.chunks[i].length, skip + out.length - copied));
      skip = 0;
    }
    return out;
  }
}
