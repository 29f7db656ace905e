import type { Readable } from 'node:stream';
import { MediaRunLimits, runMediaProcess } from './media-process';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import type { RgbFrame } from './frame-signature';

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
  frames: AsyncGenerator<RgbFrame>;
  /** Resolves when ffmpeg has exited cleanly; rejects with its first error line otherwise. */
  done: Promise<void>;
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

  async function* frames(): AsyncGenerator<RgbFrame> {
    let pending: Buffer[] = [];
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
        while (pendingBytes >= frameBytes) {
          const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
          yield { data: all.subarray(0, frameBytes), width, height };
          const rest = all.subarray(frameBytes);
          pending = rest.length ? [rest] : [];
          pendingBytes = rest.length;
        }
      }
      read = true;
    } finally {
      if (!read && size) stop.abort();
    }
  }
  return { frames: frames(), done };
}
