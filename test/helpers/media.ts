import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
const dir = mkdtempSync(join(tmpdir(), 'heimdex-media-'));

function ffmpeg(args: string[], out: string): string {
  execFileSync(bins.ffmpeg, ['-y', '-v', 'error', ...args, out]);
  return out;
}

/** Generated test media (ffmpeg lavfi): nothing downloaded, nothing checked in. */
export const media = {
  /** A small H.264 + AAC MP4 with a test pattern and a sine tone. */
  video(seconds = 3, size = '320x240'): string {
    return ffmpeg(
      ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`,
        '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart'],
      join(dir, `video-${seconds}s-${size}.mp4`),
    );
  },
  audioOnly(seconds = 2): string {
    return ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'aac'], join(dir, 'audio-only.m4a'));
  },
  image(): string {
    return ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:duration=1', '-frames:v', '1'], join(dir, 'still.png'));
  },
  /** The first half of a valid MP4 whose index is at the front: probes fine, decodes short. */
  truncated(): string {
    const whole = readFileSync(media.video(6));
    const out = join(dir, 'truncated.mp4');
    writeFileSync(out, whole.subarray(0, Math.floor(whole.length / 2)));
    return out;
  },
  /** Random bytes with a video extension. */
  corrupt(): string {
    const out = join(dir, 'corrupt.mp4');
    writeFileSync(out, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    return out;
  },
};
