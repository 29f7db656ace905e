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

  it('fails with a clear reason on a corrupt file', async () => {
    await expect(runScenePass(bins, media.corrupt(), out(), { framesPerSecond: 2, maxFrameSide: 640 })).rejects.toThrow(/scene detection failed: .+/);
  });
});
