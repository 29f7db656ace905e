import ffmpeg from 'fluent-ffmpeg';
import type { FfmpegBinaries } from './ffmpeg-binaries';

export interface ProbedStream {
  index: number;
  type: 'video' | 'audio' | 'subtitle' | 'data' | 'other';
  codec: string | null;
  width?: number;
  height?: number;
  frames?: number;
}

export interface ProbeResult {
  formatName: string;
  durationS: number | null;
  bitRate: number | null;
  streams: ProbedStream[];
}

/** ffprobe (through fluent-ffmpeg) and a short decode of both ends of the file. */
export class MediaProbe {
  constructor(private readonly bins: FfmpegBinaries) {}

  probe(file: string): Promise<ProbeResult> {
    return new Promise((resolve, reject) => {
      ffmpeg(file)
        .setFfprobePath(this.bins.ffprobe)
        .ffprobe(['-v', 'error'], (err, data) => {
        if (err) return reject(new Error(firstMeaningfulLine(String((err as Error).message))));
        resolve({
          formatName: data.format.format_name ?? 'unknown',
          durationS: finite(data.format.duration),
          bitRate: finite(data.format.bit_rate),
          streams: data.streams.map((s) => ({
            index: s.index,
            type: (['video', 'audio', 'subtitle', 'data'] as const).find((t) => t === s.codec_type) ?? 'other',
            codec: s.codec_name ?? null,
            width: s.width,
            height: s.height,
            frames: finite(s.nb_frames) ?? undefined,
          })),
        });
        });
    });
  }

  /**
   * Decodes the first and the last two seconds of the first video stream. A truncated file
   * usually probes fine (the header is intact) but fails here. Resolves to the decoder's
   * error text, or null when both ends decode cleanly.
   */
  async decodeErrors(file: string, durationS: number): Promise<string | null> {
    const head = await this.decode(file, ['-t', '2']);
    if (head) return head;
    return durationS > 2 ? this.decode(file, ['-sseof', '-2']) : null;
  }

  private decode(file: string, inputOptions: string[]): Promise<string | null> {
    return new Promise((resolve) => {
      const errors: string[] = [];
      ffmpeg(file)
        .setFfmpegPath(this.bins.ffmpeg)
        .inputOptions(['-v', 'error', '-xerror', ...inputOptions])
        .outputOptions(['-map', '0:v:0', '-f', 'null'])
        .output('-')
        .on('stderr', (line: string) => {
          if (line.trim()) errors.push(line.trim());
        })
        .on('error', (err: Error) => resolve(errors[0] ?? firstMeaningfulLine(err.message)))
        .on('end', () => resolve(errors.length ? errors[0] : null))
        .run();
    });
  }
}

function finite(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function firstMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => !/^ffprobe (exited|version)|^Command failed/.test(l)) ?? lines[0] ?? 'unreadable').slice(0, 300);
}
