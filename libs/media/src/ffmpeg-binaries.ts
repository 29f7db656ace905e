import { execFileSync } from 'node:child_process';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  /** Where each came from, for the start-up log. */
  source: { ffmpeg: 'config' | 'system' | 'bundled'; ffprobe: 'config' | 'system' | 'bundled' };
  /** ffmpeg's version (from `ffmpeg -version`), for the start-up log and the scene results. */
  version: string;
}

/** The ffmpeg the npm installer package ships (a 2018 static build). */
export function bundledFfmpegPath(): string {
  return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/** Configured path, else the system's binary on PATH, else the one the npm installer package ships. */
export function resolveFfmpegBinaries(configured: { ffmpegPath: string | null; ffprobePath: string | null }): FfmpegBinaries {
  const ffmpeg = pick('ffmpeg', configured.ffmpegPath, bundledFfmpegPath);
  const ffprobe = pick('ffprobe', configured.ffprobePath, () => (require('@ffprobe-installer/ffprobe') as { path: string }).path);
  return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source }, version: ffmpegVersion(ffmpeg.path) };
}

/** "4.1" from "ffmpeg version 4.1 Copyright ..." (or the whole first line when it has another shape); "unknown" when it does not run. */
export function ffmpegVersion(path: string): string {
  try {
    const first = execFileSync(path, ['-hide_banner', '-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]
      .trim();
    return /^ffmpeg version (\S+)/.exec(first)?.[1] ?? first;
  } catch {
    return 'unknown';
  }
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
