import { bundledFfmpegPath, decodePasses, planScenes, resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { media } from '../helpers/media';

// Every ffmpeg this machine has: the bundled 2018 build, and Debian's when installed. Cuts are
// Heimdex's own scores, so both must give the same scenes.
const bundled = bundledFfmpegPath();
const builds = [bundled, '/usr/bin/ffmpeg'].filter((p) => existsSync(p)).map((ffmpegPath) => resolveFfmpegBinaries({ ffmpegPath, ffprobePath: null }));
const out = () => mkdtempSync(join(tmpdir(), 'heimdex-frames-'));

/** 9 s: red fades to black by 3 s, blue fades in from black, blue dissolves into yellow over 7..8 s. */
function transitions(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'heimdex-transitions-')), 'fade-dissolve.mp4');
  const src = (c: string, d: number) => `color=c=${c}:size=320x180:rate=25:duration=${d}`;
  const graph = [
    `${src('red', 3)},fade=t=out:st=2:d=1[a]`,
    `${src('blue', 6)},fade=t=in:st=0:d=1[b]`,
    '[a][b]concat=n=2:v=1:a=0,format=yuv420p[ab]',
    `${src('yellow', 2)},format=yuva420p,fade=t=in:st=0:d=1:alpha=1,setpts=PTS+7/TB[y]`,
    '[ab][y]overlay=eof_action=pass,format=yuv420p[v]',
  ].join(';');
  execFileSync(bundled, ['-y', '-v', 'error', '-filter_complex', graph, '-map', '[v]', '-t', '9', '-c:v', 'libx264', '-preset', 'ultrafast', file]);
  return file;
}

/**
 * A podcast-style upload: one still picture (`colour`), then `seconds` of audio. `frames` 1 is the
 * cover image muxed once (a video stream 0.04 s long); otherwise the picture repeats at 25 fps.
 */
function stillPicture(colour: string, seconds: number, frames: 1 | 'every'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'heimdex-still-')), `${colour}-${frames}.mp4`);
  const picture = frames === 1 ? ['-frames:v', '1'] : ['-t', String(seconds)];
  execFileSync(bundled, [
    ...['-y', '-v', 'error', '-f', 'lavfi', '-i', `color=c=${colour}:size=320x240:rate=25:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`, '-map', '0:v', '-map', '1:a', ...picture],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file],
  ]);
  return file;
}

describe.each(builds.map((b) => [`ffmpeg ${b.version}`, b] as const))('scene pass with %s', (_name, bins) => {
  it('finds hard cuts within 0.2 s and keeps one frame per still shot, showing that shot', async () => {
    const file = media.shots({
      name: 'cuts-red-green-blue-white',
      audio: 'none',
      shots: [
        { seconds: 2.5, color: 'red' },
        { seconds: 3, color: 'green' },
        { seconds: 2, color: 'blue' },
        { seconds: 2.5, color: 'white' },
      ],
    });
    const before = decodePasses.count();
    const result = await runScenePass(bins, file, out(), { framesPerSecond: 2, maxFrameSide: 640 });
    expect(decodePasses.count() - before).toBe(1);

    const expected = [2.5, 5.5, 7.5];
    expect(result.cuts).toHaveLength(expected.length);
    result.cuts.forEach((cut, i) => expect(Math.abs(cut - expected[i])).toBeLessThanOrEqual(0.2));
    expect(planScenes(result.cuts, 10, { minS: 1, maxS: 30 })).toHaveLength(4);

    // Still shots: the steady 2 fps would offer 20 frames; all but the first of each shot repeat it.
    expect(result.frames).toHaveLength(4);
    expect(result.duplicates).toBeGreaterThanOrEqual(14);
    expect(result.decoded).toBeGreaterThanOrEqual(59);
    const green = result.frames.find((f) => f.timeS >= 2.5 && f.timeS < 5.5)!;
    const { channels } = await sharp(green.path).stats();
    expect(channels[1].mean).toBeGreaterThan(channels[0].mean + 50);
    expect(channels[1].mean).toBeGreaterThan(channels[2].mean + 50);
  });

  it('gives a fade through black and a dissolve one cut each', async () => {
    const result = await runScenePass(bins, transitions(), out(), { framesPerSecond: 2, maxFrameSide: 320 });
    expect(result.cutDetails).toHaveLength(2);
    expect(result.cutDetails[1].kind).toBe('gradual');
    expect(Math.abs(result.cuts[0] - 3)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(result.cuts[1] - 7.5)).toBeLessThanOrEqual(0.5);
  });

  // A still or black picture over speech must still give one scene with its picture, never a failed video.
  it.each([
    ['gray', 1],
    ['black', 1],
    ['gray', 'every'],
    ['black', 'every'],
  ] as const)('gives a %s still picture (%s frame(s)) over 6 s of audio one scene and its frame', async (colour, frames) => {
    const result = await runScenePass(bins, stillPicture(colour, 6, frames), out(), { framesPerSecond: 2, maxFrameSide: 640, forceEveryS: 10 });
    expect(result.decoded).toBeGreaterThanOrEqual(frames === 1 ? 1 : 36);
    expect(result.cuts).toEqual([]);
    expect(result.frames.length).toBeGreaterThanOrEqual(1);
    expect(result.frames[0].timeS).toBe(0);
    const { channels } = await sharp(result.frames[0].path).stats();
    expect(Math.abs(channels[0].mean - (colour === 'gray' ? 128 : 0))).toBeLessThan(12);
    expect(planScenes(result.cuts, 6, { minS: 1, maxS: 30 })).toEqual([{ startS: 0, endS: 6 }]);
  });

  it('fails with a clear reason on a corrupt file', async () => {
    await expect(runScenePass(bins, media.corrupt(), out(), { framesPerSecond: 2, maxFrameSide: 640 })).rejects.toThrow(/scene detection failed: .+/);
  });
});
