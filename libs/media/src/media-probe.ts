import type { FfmpegBinaries } from './ffmpeg-binaries';
import { firstMeaningfulLine, MediaRunLimits, runMediaProcess } from './media-process';

export interface ProbedStream {
  index: number;
  type: 'video' | 'audio' | 'subtitle' | 'data' | 'other';
  codec: string | null;
  width?: number;
  height?: number;
  frames?: number;
  /** Average frames per second (video streams), when the container states it. */
  frameRate?: number;
}

export interface ProbeResult {
  formatName: string;
  durationS: number | null;
  bitRate: number | null;
  streams: ProbedStream[];
}

interface FfprobeJson {
  format?: { format_name?: string; duration?: string; bit_rate?: string };
  streams?: { index: number; codec_type?: string; codec_name?: string; width?: number; height?: number; nb_frames?: string; avg_frame_rate?: string }[];
}

/** ffprobe and a short decode of both ends of the file, each a bounded child (runMediaProcess). */
export class MediaProbe {
  constructor(private readonly bins: FfmpegBinaries) {}

  async probe(file: string, limits?: MediaRunLimits): Promise<ProbeResult> {
    const { stdout } = await runMediaProcess(this.bins.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
      label: 'ffprobe',
      limits,
      captureStdout: true,
    }).catch((err: Error) => {
      throw err.name === 'Error' ? new Error(err.message.replace(/^ffprobe failed: /, '')) : err;
    });
    const data = JSON.parse(stdout) as FfprobeJson;
    if (!data.format) throw new Error('ffprobe found no container format');
    return {
      formatName: data.format.format_name ?? 'unknown',
      durationS: finite(data.format.duration),
      bitRate: finite(data.format.bit_rate),
      streams: (data.streams ?? []).map((s) => ({
        index: s.index,
        type: (['video', 'audio', 'subtitle', 'data'] as const).find((t) => t === s.codec_type) ?? 'other',
        codec: s.codec_name ?? null,
        width: s.width,
        height: s.height,
        frames: finite(s.nb_frames) ?? undefined,
        frameRate: rate(s.avg_frame_rate) ?? undefined,
      })),
    };
  }

  /**
   * Decodes the first and the last two seconds of the first video stream. A truncated file
   * usually probes fine (the header is intact) but fails here. Resolves to the decoder's
   * error text, or null when both ends decode cleanly; a limit or cancellation rejects.
   */
  async decodeErrors(file: string, durationS: number, limits?: MediaRunLimits): Promise<string | null> {
    // Both ends at once: nothing else of the video can start before this check.
    const [head, tail] = await Promise.all([this.decode(file, ['-t', '2'], limits), durationS > 2 ? this.decode(file, ['-sseof', '-2'], limits) : null]);
    return head ?? tail;
  }

  private async decode(file: string, inputOptions: string[], limits?: MediaRunLimits): Promise<string | null> {
    try {
      const { stderr } = await runMediaProcess(
        this.bins.ffmpeg,
        ['-nostdin', '-v', 'error', '-xerror', ...inputOptions, '-i', file, '-map', '0:v:0', '-f', 'null', '-'],
        {
          label: 'decode check',
          limits,
        },
      );
      const errors = stderr.map((l) => l.trim()).filter(Boolean);
      return errors.length ? errors[0] : null;
    } catch (err) {
      if (err instanceof Error && err.name !== 'Error') throw err;
      return err instanceof Error ? err.message.replace(/^decode check failed: /, '') : firstMeaningfulLine([String(err)]);
    }
  }
}

function finite(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** "30000/1001" → 29.97; "0/0" → null. */
function rate(v: string | undefined): number | null {
  const m = /^(\d+)\/(\d+)$/.exec(v ?? '');
  if (!m || Number(m[2]) === 0 || Number(m[1]) === 0) return null;
  return Number(m[1]) / Number(m[2]);
}
