import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import { type MediaRunLimits, runMediaProcess } from './media-process';
import { roundMs } from './round-ms';

/** Subtitle codecs that hold pictures of the text, not text: read with OCR. */
export const BITMAP_SUBTITLE_CODECS: readonly string[] = ['hdmv_pgs_subtitle', 'dvd_subtitle', 'dvb_subtitle'];

/** One subtitle picture and when it is on screen. */
export interface BitmapSubtitleEvent {
  startS: number;
  endS: number;
  /** The text's area only, as dark text on a light ground (PNG): what OCR reads best. */
  image: Buffer;
}

export interface BitmapSubtitleOptions {
  /** Pictures read at most; later ones are left out (and `capped` says so). */
  maxEvents: number;
  /** How long the last picture stays when the stream ends without clearing it. */
  lastEventS?: number;
  /** The media's duration: no event ends after it. */
  durationS?: number | null;
  limits?: MediaRunLimits;
}

interface ShownFrame {
  n: number;
  ptsS: number;
  checksum: string;
}

// showinfo: "n:   5 pts:  13000 pts_time:13  pos: -1 fmt:bgra ... checksum:19BCF277 plane_checksum:[...]"
const SHOWINFO = /\bn:\s*(\d+)\s+pts:\s*-?\d+\s+pts_time:(-?[\d.]+)\s.*?\bchecksum:([0-9A-Fa-f]+)/;
/** sub2video writes about four frames per picture (shown, held, cleared, held). */
const FRAMES_PER_EVENT = 4;
/** Padding (pixels) kept around the text when cropping. */
const PAD = 12;

/**
 * The pictures of a bitmap subtitle stream (`0:s:N`: PGS, DVD or DVB) with their times. ffmpeg
 * renders the stream onto a transparent canvas (sub2video) and writes a frame each time it
 * changes; runs of identical frames are one picture, on screen until the next change. Each
 * picture is cropped to its text and made dark-on-light for OCR. Works with ffmpeg 4.1 and 5.x.
 */
export async function extractBitmapSubtitleEvents(
  bins: FfmpegBinaries,
  input: string,
  subtitleIndex: number,
  workDir: string,
  options: BitmapSubtitleOptions,
): Promise<{ events: BitmapSubtitleEvent[]; capped: boolean }> {
  const dir = join(workDir, `bitmap-subtitles-${subtitleIndex}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    const maxFrames = options.maxEvents * FRAMES_PER_EVENT;
    const frames: ShownFrame[] = [];
    await runMediaProcess(
      bins.ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-i',
        input,
        '-filter_complex',
        `[0:s:${subtitleIndex}]showinfo[v]`,
        '-map',
        '[v]',
        '-vsync',
        '0',
        '-frames:v',
        // One more than is read: its presence tells a stream cut short from one that ended at the limit.
        String(maxFrames + 1),
        '-f',
        'image2',
        join(dir, 'f%06d.png'),
      ],
      {
        label: 'bitmap subtitle rendering',
        limits: options.limits,
        onStderrLine: (line) => {
          const m = SHOWINFO.exec(line);
          if (m) frames.push({ n: Number(m[1]), ptsS: Number(m[2]), checksum: m[3].toUpperCase() });
        },
      },
    );
    const written = frames.filter((f) => f.n < maxFrames);
    const runs = changes(written);
    const events: BitmapSubtitleEvent[] = [];
    let i = 0;
    for (; i < runs.length && events.length < options.maxEvents; i++) {
      const run = runs[i];
      // A cleared canvas is all zero bytes, whose showinfo checksum is 0.
      if (/^0+$/.test(run.checksum)) continue;
      // image2 numbers files from 1; showinfo counts frames from 0.
      const image = await textArea(await readFile(join(dir, `f${String(run.n + 1).padStart(6, '0')}.png`)));
      if (!image) continue;
      const next = runs[i + 1];
      let endS = next ? next.ptsS : run.ptsS + (options.lastEventS ?? 4);
      if (options.durationS) endS = Math.min(endS, options.durationS);
      if (endS > run.ptsS) events.push({ startS: roundMs(run.ptsS), endS: roundMs(endS), image });
    }
    const unread = runs.slice(i).some((r) => !/^0+$/.test(r.checksum));
    return { events, capped: frames.some((f) => f.n >= maxFrames) || unread };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first frame of each run of identical frames. */
function changes(frames: ShownFrame[]): ShownFrame[] {
  const ordered = [...frames].sort((a, b) => a.n - b.n);
  return ordered.filter((f, i) => i === 0 || f.checksum !== ordered[i - 1].checksum);
}

/**
 * The non-transparent part of a subtitle frame, flattened onto black (white or yellow text with
 * a dark outline reads as text on black), then negated and grey: dark text on a light ground.
 * null when the frame is empty (the subtitle was cleared).
 */
async function textArea(png: Buffer): Promise<Buffer | null> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    for (let x = 0; x < width; x++) {
      if (data[row + x * channels + 3] > 16) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        bottom = y;
      }
    }
  }
  if (right < 0) return null;
  const x0 = Math.max(0, left - PAD);
  const y0 = Math.max(0, top - PAD);
  const region = { left: x0, top: y0, width: Math.min(width, right + PAD + 1) - x0, height: Math.min(height, bottom + PAD + 1) - y0 };
  return sharp(data, { raw: { width, height, channels } })
    .extract(region)
    .flatten({ background: '#000000' })
    .grayscale()
    .negate({ alpha: false })
    .png()
    .toBuffer();
}
