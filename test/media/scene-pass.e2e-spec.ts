import { decodePasses, planScenes, resolveFfmpegBinaries, runScenePass } from '@heimdex/media';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { media } from '../helpers/media';

const bins = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });

describe('scene pass (real ffmpeg)', () => {
  it('finds hard cuts within 0.2 s and writes frames that show the right shot', async () => {
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
    const out = mkdtempSync(join(tmpdir(), 'heimdex-frames-'));
    const before = decodePasses.count();
    const result = await runScenePass(bins, file, out, { cutThreshold: 0.3, framesPerSecond: 2, maxFrameSide: 640 });
    expect(decodePasses.count() - before).toBe(1);

    const expected = [2.5, 5.5, 7.5];
    expect(result.cuts).toHaveLength(expected.length);
    result.cuts.forEach((cut, i) => expect(Math.abs(cut - expected[i])).toBeLessThanOrEqual(0.2));

    const scenes = planScenes(result.cuts, 10, { minS: 1, maxS: 30 });
    expect(scenes).toHaveLength(4);
    expect(result.frames.length).toBeGreaterThanOrEqual(19);

    // The frame at 4 s is in the green shot.
    const frame = result.frames.find((f) => f.timeS === 4)!;
    const { channels } = await sharp(frame.path).stats();
    expect(channels[1].mean).toBeGreaterThan(channels[0].mean + 50);
    expect(channels[1].mean).toBeGreaterThan(channels[2].mean + 50);
  });

  it('fails with a clear reason on a corrupt file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'heimdex-frames-'));
    await expect(runScenePass(bins, media.corrupt(), out, { cutThreshold: 0.3, framesPerSecond: 2, maxFrameSide: 640 })).rejects.toThrow(
      /scene detection failed/,
    );
  });
});
