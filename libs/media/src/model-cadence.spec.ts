import sharp from 'sharp';
import { frameSignature, RgbFrame, signatureDiff } from './frame-signature';
import { ModelCadence, pictureSignature } from './model-cadence';

const W = 320;
const H = 180;

/** A left-to-right gradient whose brightness is `base`, with a bright square at `squareX` (a subject moving across). */
function frame(base: number, squareX: number): RgbFrame {
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inSquare = x >= squareX && x < squareX + 120 && y >= 30 && y < 150;
      const p = (y * W + x) * 3;
      data[p] = inSquare ? 250 : Math.min(255, base + Math.round((x / W) * 60));
      data[p + 1] = inSquare ? 250 : base;
      data[p + 2] = inSquare ? 40 : Math.max(0, base - 30);
    }
  }
  return { data, width: W, height: H };
}

function dueTimes(frames: { timeS: number; frame: RgbFrame }[]): number[] {
  const cadence = new ModelCadence({ changeAbove: 0.08, everyS: 2 });
  return frames.filter((f) => cadence.due(f.timeS, frameSignature(f.frame))).map((f) => f.timeS);
}

describe('ModelCadence', () => {
  it('runs on a still shot once every everyS seconds', () => {
    const still = frame(80, 20);
    expect(dueTimes([0, 1, 2, 3, 4, 5].map((timeS) => ({ timeS, frame: still })))).toEqual([0, 2, 4]);
  });

  it('runs again as soon as the picture has changed enough since its last run, not since the previous frame', () => {
    // The square creeps 40 px a step: each step alone is small, two steps add up.
    const frames = [0, 1, 2, 3].map((timeS) => ({ timeS: timeS * 0.5, frame: frame(80, 20 + timeS * 40) }));
    const step = signatureDiff(frameSignature(frames[0].frame), frameSignature(frames[1].frame));
    expect(step).toBeLessThan(0.08);
    const times = dueTimes(frames);
    expect(times[0]).toBe(0);
    expect(times.length).toBeGreaterThan(1);
    expect(times.length).toBeLessThan(frames.length);
  });

  it('runs on every frame of a picture that changes all over', () => {
    const frames = [0, 1, 2, 3].map((timeS) => ({ timeS: timeS * 0.5, frame: frame(timeS % 2 ? 30 : 160, 20) }));
    expect(dueTimes(frames)).toEqual([0, 0.5, 1, 1.5]);
  });
});

describe('pictureSignature', () => {
  it('reads an encoded frame as nearly the signature of the full decode', async () => {
    const f = frame(90, 150);
    const jpeg = await sharp(f.data, { raw: { width: W, height: H, channels: 3 } })
      .jpeg({ quality: 88 })
      .toBuffer();
    expect(signatureDiff(await pictureSignature(jpeg), frameSignature(f))).toBeLessThan(0.02);
    expect(signatureDiff(await pictureSignature(jpeg), frameSignature(frame(90, 20)))).toBeGreaterThan(0.02);
  });
});
