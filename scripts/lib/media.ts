import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, isAbsolute, join } from 'node:path';

const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
const dir = mkdtempSync(join(tmpdir(), 'heimdex-media-'));
const cacheDir = join(tmpdir(), 'heimdex-media-cache');

/**
 * Runs ffmpeg into `out`, or copies what the same ffmpeg made from the same arguments and input
 * files earlier (in this process or another: every test file makes the same few clips).
 */
function ffmpeg(args: string[], out: string): string {
  const cached = join(cacheDir, `${cacheKey(args)}${extname(out)}`);
  if (existsSync(cached)) {
    copyFileSync(cached, out);
    return out;
  }
  execFileSync(bins.ffmpeg, ['-y', '-v', 'error', ...args, out]);
  mkdirSync(cacheDir, { recursive: true });
  // Copied aside and renamed: a file running beside this one never reads half a clip.
  const partial = `${cached}.${process.pid}`;
  copyFileSync(out, partial);
  renameSync(partial, cached);
  return out;
}

/** The ffmpeg build and its arguments, with the bytes of each input file an argument names. */
function cacheKey(args: string[]): string {
  const hash = createHash('sha256').update(bins.ffmpeg).update(bins.version);
  for (const arg of args) {
    hash.update(`\0${arg}`);
    if (isAbsolute(arg) && existsSync(arg) && statSync(arg).isFile()) hash.update(readFileSync(arg));
  }
  return hash.digest('hex').slice(0, 24);
}

export const TEST_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface Shot {
  seconds: number;
  /** A lavfi colour name or 0xRRGGBB; ignored when `image` is given. */
  color?: string;
  /** A still image shown for the whole shot (scaled and padded to the frame). */
  image?: string;
  /** Large on-screen text drawn over the shot. */
  text?: string;
  /** With `image`: a slow Ken Burns zoom into the picture's centre instead of a still. */
  pan?: boolean;
}

export interface ShotsSpec {
  shots: Shot[];
  /** `{ wav }`: that file as the sound track (e.g. speech from writeSpeechWav), cut to the video's length. */
  audio: 'sine' | 'silent' | 'none' | { wav: string };
  size?: string;
  /** File name (without extension): the file is cached by it within one test process. */
  name: string;
  /** Where to write it (default: this process's temp folder). */
  dir?: string;
}

function escapeDrawtext(text: string): string {
  return text.replace(/[\\':]/g, (c) => `\\${c}`);
}

/** Generated test media (ffmpeg lavfi): nothing downloaded, nothing checked in. */
export const media = {
  /** Hard cuts between shots at known times: shot k starts at the sum of the earlier shots' seconds. */
  shots(spec: ShotsSpec): string {
    const size = spec.size ?? '640x360';
    const [w, h] = size.split('x');
    const total = spec.shots.reduce((a, s) => a + s.seconds, 0);
    const inputs: string[] = [];
    const chains: string[] = [];
    spec.shots.forEach((shot, i) => {
      if (shot.image) inputs.push('-loop', '1', '-framerate', '25', '-t', String(shot.seconds), '-i', shot.image);
      else inputs.push('-f', 'lavfi', '-i', `color=c=${shot.color ?? 'black'}:size=${size}:rate=25:duration=${shot.seconds}`);
      const text = shot.text
        ? `,drawtext=fontfile=${TEST_FONT}:text='${escapeDrawtext(shot.text)}':fontcolor=white:fontsize=${Math.round(Number(h) / 9)}:x=(w-text_w)/2:y=(h-text_h)/2:box=1:boxcolor=black@0.6:boxborderw=12`
        : '';
      const pan = shot.image && shot.pan ? `,zoompan=z='1+0.003*in':d=1:x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=${size}:fps=25` : '';
      chains.push(
        `[${i}:v]scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1${pan},fps=25,format=yuv420p${text}[v${i}]`,
      );
    });
    const concat = `${spec.shots.map((_, i) => `[v${i}]`).join('')}concat=n=${spec.shots.length}:v=1:a=0[v]`;
    const audio =
      spec.audio === 'none'
        ? []
        : typeof spec.audio === 'object'
          ? ['-i', spec.audio.wav]
          : ['-f', 'lavfi', '-t', String(total), '-i', spec.audio === 'sine' ? `sine=frequency=330:duration=${total}` : 'anullsrc=r=44100:cl=mono'];
    const audioIndex = spec.shots.length;
    return ffmpeg(
      [
        ...inputs,
        ...audio,
        '-filter_complex',
        [...chains, concat].join(';'),
        '-map',
        '[v]',
        ...(spec.audio === 'none' ? ['-an'] : ['-map', `${audioIndex}:a`, '-c:a', 'aac', '-t', String(total)]),
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-g',
        '25',
        '-movflags',
        '+faststart',
      ],
      join(spec.dir ?? dir, `${spec.name}.mp4`),
    );
  },

  /** A small H.264 + AAC MP4 with a test pattern and a sine tone. */
  video(seconds = 3, size = '320x240'): string {
    return ffmpeg(
      [
        '-f',
        'lavfi',
        '-i',
        `testsrc=size=${size}:rate=25:duration=${seconds}`,
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=440:duration=${seconds}`,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-shortest',
        '-movflags',
        '+faststart',
      ],
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
