import { execFileSync } from 'node:child_process';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  /** Where each came from, for the start-up log. */
  source: { ffmpeg: 'config' | 'system' | 'bundled'; ffprobe: 'config' | 'system' | 'bundled' };
}

/** Configured path, else the system's binary on PATH, else the one the npm installer package ships. */
export function resolveFfmpegBinaries(configured: { ffmpegPath: string | null; ffprobePath: string | null }): FfmpegBinaries {
  const ffmpeg = pick('ffmpeg', configured.ffmpegPath, () => (require('@ffmpeg-installer/ffmpeg') as { path: string }).path);
  const ffprobe = pick('ffprobe', configured.ffprobePath, () => (require('@ffprobe-installer/ffprobe') as { path: string }).path);
  return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}

function pick(name: string, configured: string | null, bundled: () => string): { path: string; source: 'config' | 'system' | 'bundled' } {
  if (configured) return { path: configured, source: 'config' };
  try {
    const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    if (found) return { path: found, source: 'system' };
  } catch {
    // not on PATH
  }
  return { path: bundled(), source: 'bundled' };
}
