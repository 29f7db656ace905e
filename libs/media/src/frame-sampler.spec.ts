import { FrameSampler } from './frame-sampler';
import { detailGrid, frameSignature, RgbFrame, signatureDiff } from './frame-signature';

const W = 320;
const H = 180;

const made = new Map<string, RgbFrame>();

/** A grey frame, with a small white caption box (text-sized: 60x12 px) when `caption` is set, and a bit of noise (3 variants). */
function frame(seed: number, caption = false, base = 90): RgbFrame {
  const key = `${seed % 3}/${caption}/${base}`;
  const cached = made.get(key);
  if (cached) return cached;
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inCaption = caption && x >= 130 && x < 190 && y >= 150 && y < 162;
      const v = inCaption ? 235 : base + (((x * 31 + y * 17 + (seed % 3) * 7) % 5) - 2);
      const p = (y * W + x) * 3;
      data[p] = data[p + 1] = data[p + 2] = v;
    }
  }
  made.set(key, { data, width: W, height: H });
  return made.get(key)!;
}

/** Runs the sampler over frames at `fps`; returns the kept times and the duplicate count. */
function sample(frames: RgbFrame[], fps: number, sampleFps = 2): { kept: number[]; duplicates: number } {
  const sampler = new FrameSampler({ sampleFps, duplicateBelow: 0.04, forceEveryS: 10, cutScore: 0.06, cutRatio: 3 });
  const kept: number[] = [];
  let duplicates = 0;
  let previous = frameSignature(frames[0]);
  frames.forEach((f, i) => {
    const signature = frameSignature(f);
    const decision = sampler.decide(i / fps, i ? signatureDiff(previous, signature) : 0, () => detailGrid(f));
    previous = signature;
    if (decision === 'keep') kept.push(Math.round((i / fps) * 1000) / 1000);
    if (decision === 'duplicate') duplicates += 1;
  });
  return { kept, duplicates };
}

describe('FrameSampler', () => {
  const fps = 6;

  it('keeps one frame of a still shot and skips the rest of the steady-rate frames as near-duplicates', () => {
    const frames = Array.from({ length: 8 * fps }, (_, i) => frame(i));
    const { kept, duplicates } = sample(frames, fps);
    expect(kept).toEqual([0]);
    expect(duplicates).toBe(15);
  });

  it('keeps a frame showing a small caption that is on screen for 1 s, wherever the second falls', () => {
    for (const from of [2, 2.17, 2.33, 2.5, 2.67, 2.83]) {
      const frames = Array.from({ length: 6 * fps }, (_, i) => frame(i, i / fps >= from - 1e-6 && i / fps < from + 1 - 1e-6));
      const { kept } = sample(frames, fps);
      expect(kept.some((t) => t >= from - 1e-6 && t < from + 1 - 1e-6)).toBe(true);
    }
  });

  it('keeps the first frame after a cut at once, off the steady clock', () => {
    const frames = Array.from({ length: 4 * fps }, (_, i) => frame(i, false, i < 7 ? 60 : 200));
    expect(sample(frames, fps).kept).toEqual([0, 1.167]);
  });

  it('keeps a frame at least every forceEveryS in a long still shot', () => {
    const frames = Array.from({ length: 25 * 2 }, (_, i) => frame(i));
    expect(sample(frames, 2).kept).toEqual([0, 10, 20]);
  });
});
