import { spawn } from 'node:child_process';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import type { RgbFrame } from './frame-signature';

export interface FrameStreamOptions {
  /** Frames per second decoded (ffmpeg's fps filter: frame k shows time k / fps from the start). */
  fps: number;
  /** Longest side of the frames (never enlarged). */
  maxSide: number;
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
 * resolution). The spawn is kept in this one function so a resource-limited spawn can replace it.
 */
export function decodeFrames(bins: FfmpegBinaries, input: string, opts: FrameStreamOptions): FrameStream {
  const side = opts.maxSide;
  const scale = `scale='if(gte(iw,ih),min(${side},iw),-2)':'if(gte(iw,ih),-2,min(${side},ih))'`;
  const child = spawn(
    bins.ffmpeg,
    ['-hide_banner', '-nostdin', '-nostats', '-i', input, '-map', '0:v:0', '-an', '-sn', '-vf', `fps=${opts.fps},${scale},format=rgb24`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let size: { width: number; height: number } | null = null;
  let announce: (() => void) | null = null;
  const sized = new Promise<void>((resolve) => (announce = resolve));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 64 * 1024) stderr += text;
    if (!size) {
      const m = SIZE_LINE.exec(stderr.slice(stderr.indexOf('Output #0')));
      if (stderr.includes('Output #0') && m) {
        size = { width: Number(m[1]), height: Number(m[2]) };
        announce?.();
      }
    }
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`ffmpeg could not start: ${err.message}`)));
    child.on('close', (code, signal) => {
      announce?.();
      if (code === 0) resolve();
      else reject(new Error(firstError(stderr) ?? `ffmpeg exited with ${signal ?? code}`));
    });
  });
  done.catch(() => undefined);

  async function* frames(): AsyncGenerator<RgbFrame> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
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
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  return { frames: frames(), done };
}

function firstError(stderr: string): string | null {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const meaningful = lines.filter((l) => !/^(Input #|Output #|Stream #|Stream mapping|Metadata|Duration|[a-z_]+\s*:|Press \[q\]|frame=|video:|\w+ version|built with|configuration|lib\w+\s+\d)/.test(l));
  return meaningful[0]?.slice(0, 300) ?? null;
}
