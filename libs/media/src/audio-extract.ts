import type { FfmpegBinaries } from './ffmpeg-binaries';
import { MediaRunLimits, runMediaProcess } from './media-process';

/** Momentary loudness (EBU R128, LUFS) every 100 ms. */
export interface LoudnessSeries {
  stepS: number;
  lufs: number[];
}

/** The first audio stream as 16 kHz mono 16-bit PCM WAV: what every speech engine reads. */
export async function extractSpeechWav(bins: FfmpegBinaries, input: string, output: string, limits?: MediaRunLimits): Promise<void> {
  // bitexact: a plain 44-byte header, which pocketsphinx_continuous reads directly.
  await runMediaProcess(
    bins.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      input,
      '-map',
      '0:a:0',
      '-vn',
      '-ac',
      '1',
      '-ar',
      '16000',
      '-c:a',
      'pcm_s16le',
      '-fflags',
      '+bitexact',
      '-f',
      'wav',
      output,
    ],
    { label: 'audio extraction', limits },
  );
}

/** ffmpeg's ebur128 filter over a (small) WAV; its per-100 ms log lines give the series. */
export async function measureLoudness(bins: FfmpegBinaries, wav: string, limits?: MediaRunLimits): Promise<LoudnessSeries> {
  const lufs: number[] = [];
  await runMediaProcess(bins.ffmpeg, ['-nostdin', '-v', 'info', '-i', wav, '-af', 'ebur128', '-f', 'null', '-'], {
    label: 'loudness measurement',
    limits,
    onStderrLine: (line) => {
      const m = /\bt:\s*[\d.]+\s+.*?\bM:\s*(-?[\d.]+|-inf|nan)/.exec(line);
      if (m) lufs.push(Number.isFinite(Number(m[1])) ? Number(m[1]) : -120);
    },
  });
  return { stepS: 0.1, lufs };
}

/** Mean momentary loudness over [startS, endS), in LUFS; null when the series does not cover it. */
export function meanLoudness(series: LoudnessSeries, startS: number, endS: number): number | null {
  const from = Math.max(0, Math.floor(startS / series.stepS));
  const to = Math.min(series.lufs.length, Math.ceil(endS / series.stepS));
  if (to <= from) return null;
  // Average in the power domain: the mean of dB values understates loud passages.
  let power = 0;
  for (let i = from; i < to; i++) power += 10 ** (series.lufs[i] / 10);
  return 10 * Math.log10(power / (to - from));
}
