import { frameSignature, isOverlayChange, RgbFrame, signatureDiff } from './frame-signature';
import { detectShots, ShotFrames } from './shot-detector';

/**
 * Frames as tiny pictures (a few cell values, 0..1); difference = mean absolute difference;
 * an overlay leaves at least 40% of the cells unchanged and changes the rest one way (as
 * isOverlayChange does on real signatures).
 */
function frames(pictures: number[][]): ShotFrames {
  return {
    count: pictures.length,
    diff: (i, j) => pictures[i].reduce((s, v, k) => s + Math.abs(v - pictures[j][k]), 0) / pictures[i].length,
    brightness: (i) => Math.max(...pictures[i]),
    overlay: (i, j) => {
      const change = pictures[i].map((v, k) => pictures[j][k] - v);
      const moved = change.filter((d) => Math.abs(d) >= 0.05);
      return change.length - moved.length >= 0.4 * change.length && (moved.every((d) => d > 0) || moved.every((d) => d < 0));
    },
  };
}

const A = [0.8, 0.2, 0.6, 0.4];
const B = [0.2, 0.7, 0.3, 0.9];
const hold = (p: number[], n: number) => Array.from({ length: n }, () => [...p]);
/** `n` frames going from p to q (both ends excluded). */
const blend = (p: number[], q: number[], n: number) => Array.from({ length: n }, (_, k) => p.map((v, c) => v + ((q[c] - v) * (k + 1)) / (n + 1)));
const black = [0, 0, 0, 0];
/** A little jitter (encoder noise, small motion), the same every run. */
const noisy = (pics: number[][]) => pics.map((p, i) => p.map((v, c) => Math.min(1, Math.max(0, v + 0.004 * Math.sin(i * 7.1 + c * 3.3)))));

describe('detectShots', () => {
  it('finds a hard cut at the first frame of the new shot', () => {
    const cuts = detectShots(frames(noisy([...hold(A, 10), ...hold(B, 10)])));
    expect(cuts).toEqual([expect.objectContaining({ frame: 10, kind: 'cut' })]);
  });

  it('gives a dissolve one cut in its middle', () => {
    const cuts = detectShots(frames(noisy([...hold(A, 10), ...blend(A, B, 9), ...hold(B, 10)])));
    expect(cuts).toHaveLength(1);
    expect(cuts[0].kind).toBe('gradual');
    expect(cuts[0].frame).toBeGreaterThanOrEqual(13);
    expect(cuts[0].frame).toBeLessThanOrEqual(16);
  });

  it('gives a fade out to black and in to the next shot one cut, in the dark', () => {
    const pics = noisy([...hold(A, 10), ...blend(A, black, 6), ...hold(black, 4), ...blend(black, B, 6), ...hold(B, 10)]);
    const cuts = detectShots(frames(pics));
    expect(cuts).toHaveLength(1);
    expect(cuts[0].kind).toBe('fade');
    // The black frames are 16..19 (plus the darkest fade frames around them).
    expect(cuts[0].frame).toBeGreaterThanOrEqual(15);
    expect(cuts[0].frame).toBeLessThanOrEqual(20);
  });

  it('gives a hard cut to black followed by a fade in one cut', () => {
    const cuts = detectShots(frames(noisy([...hold(A, 10), ...hold(black, 5), ...blend(black, B, 6), ...hold(B, 10)])));
    expect(cuts).toHaveLength(1);
    expect(cuts[0].frame).toBeGreaterThanOrEqual(10);
    expect(cuts[0].frame).toBeLessThanOrEqual(16);
  });

  it('ignores a flash: one bright frame that returns to the same shot', () => {
    const flash = [1, 1, 1, 1];
    expect(detectShots(frames(noisy([...hold(A, 10), flash, ...hold(A, 10)])))).toEqual([]);
    expect(detectShots(frames(noisy([...hold(A, 10), flash, flash, ...hold(A, 10)])))).toEqual([]);
  });

  it('ignores fading in from black at the start and out to black at the end', () => {
    expect(detectShots(frames(noisy([...hold(black, 4), ...blend(black, A, 8), ...hold(A, 12), ...blend(A, black, 8), ...hold(black, 4)])))).toEqual([]);
  });

  it('takes continuous motion for no cut, and a cut inside it only when it stands out', () => {
    // Motion: every frame moves a fair step, back and forth, never straight to a new picture.
    const moving = Array.from({ length: 30 }, (_, i) => A.map((v, c) => v + 0.15 * Math.sin(i * 0.9 + c)));
    expect(detectShots(frames(moving))).toEqual([]);
    const withCut = [...moving.slice(0, 15), ...moving.slice(15).map((p) => p.map((v, c) => v + B[c] - A[c]))];
    expect(detectShots(frames(withCut)).map((c) => c.frame)).toEqual([15]);
  });

  it('finds two hard cuts in a row of shots', () => {
    const C = [0.5, 0.5, 0.1, 0.1];
    const cuts = detectShots(frames(noisy([...hold(A, 8), ...hold(B, 8), ...hold(C, 8)])));
    expect(cuts.map((c) => c.frame)).toEqual([8, 16]);
  });
});

describe('detectShots on titles over black', () => {
  it('cuts to a bright title on black at the end: a shot, not a fade out', () => {
    const title = [0, 0, 0.9, 0];
    const cuts = detectShots(frames(noisy([...hold(A, 10), ...hold(title, 10)])));
    expect(cuts.map((c) => c.frame)).toEqual([10]);
  });
});

const W = 160;
const H = 90;

const backgrounds = new Map<number, Float32Array>();

/** Smooth colour waves, different for each seed. */
function background(seed: number): Float32Array {
  const known = backgrounds.get(seed);
  if (known) return known;
  const out = new Float32Array(W * H * 3);
  for (let p = 0; p < W * H; p++) {
    const x = p % W;
    const y = Math.floor(p / W);
    for (let c = 0; c < 3; c++) out[p * 3 + c] = 120 + 60 * Math.sin((x * (1 + seed)) / 25 + y / 15 + c * 2 + seed);
  }
  backgrounds.set(seed, out);
  return out;
}

/**
 * A still picture with a large white title (stroked letters over 140x46 of 160x90 px, like an opening
 * title card) blended in at `title` (0..1), and a little noise per frame; with `person`, the
 * middle (100x60 px) shows another picture, like someone in front of the backdrop.
 */
function picture(seed: number, title: number, frame: number, person?: number): RgbFrame {
  const data = Buffer.alloc(W * H * 3);
  for (let p = 0; p < W * H; p++) {
    const x = p % W;
    const y = Math.floor(p / W);
    const back = background(person !== undefined && x >= 30 && x < 130 && y >= 15 && y < 75 ? person : seed);
    const inLetters = x >= 10 && x < 150 && y >= 22 && y < 68 && (x % 10 < 4 || y % 15 < 4);
    const noise = (((x + y + frame) * 7) % 5) - 2;
    for (let c = 0; c < 3; c++) {
      const v = back[p * 3 + c] + noise;
      data[p * 3 + c] = Math.round(inLetters ? v + (240 - v) * title : v);
    }
  }
  return { data, width: W, height: H };
}

/** a for `before` frames, then a dissolve over `over` frames to b, then b for the rest of `length`. */
function dissolve(a: (i: number) => RgbFrame, b: (i: number) => RgbFrame, before: number, over: number, length: number): RgbFrame[] {
  return Array.from({ length }, (_, i) => {
    const from = a(i);
    const to = b(i);
    const mix = Math.min(1, Math.max(0, (i - before + 1) / (over + 1)));
    return { ...from, data: Buffer.from(from.data.map((v, k) => Math.round(v + (to.data[k] - v) * mix))) };
  });
}

function signed(pictures: RgbFrame[]): ShotFrames {
  const sigs = pictures.map(frameSignature);
  return {
    count: sigs.length,
    diff: (i, j) => signatureDiff(sigs[i], sigs[j]),
    brightness: (i) => sigs[i].brightness,
    overlay: (i, j) => isOverlayChange(sigs[i], sigs[j]),
  };
}

describe('detectShots on titles over a still shot (decoded frames)', () => {
  // 6 frames a second: 2 s still, a 1 s fade in, 3 s of title, a 1 s fade out, 2 s still.
  const levels = [
    ...Array(12).fill(0),
    ...Array.from({ length: 6 }, (_, k) => (k + 1) / 6),
    ...Array(18).fill(1),
    ...Array.from({ length: 6 }, (_, k) => 1 - (k + 1) / 6),
    ...Array(12).fill(0),
  ];

  it('finds no cut when a large title fades in and out', () => {
    expect(detectShots(signed(levels.map((t, i) => picture(0, t, i))))).toEqual([]);
  });

  it('finds no cut when the title pops in and out', () => {
    expect(detectShots(signed(levels.map((t, i) => picture(0, Math.round(t), i))))).toEqual([]);
  });

  it('still finds a dissolve to another picture, and a hard cut, under the same title', () => {
    const gradual = detectShots(
      signed(
        dissolve(
          (i) => picture(0, 1, i),
          (i) => picture(3, 1, i),
          12,
          6,
          30,
        ),
      ),
    );
    expect(gradual).toHaveLength(1);
    expect(gradual[0].frame).toBeGreaterThanOrEqual(12);
    expect(gradual[0].frame).toBeLessThanOrEqual(18);
    const hard = Array.from({ length: 20 }, (_, i) => picture(i < 10 ? 0 : 3, 1, i));
    expect(detectShots(signed(hard)).map((c) => c.frame)).toEqual([10]);
  });

  it('still finds a dissolve between two people in front of one backdrop (half the picture unchanged)', () => {
    const cuts = detectShots(
      signed(
        dissolve(
          (i) => picture(0, 0, i, 1),
          (i) => picture(0, 0, i, 2),
          12,
          6,
          30,
        ),
      ),
    );
    expect(cuts).toHaveLength(1);
    expect(cuts[0].frame).toBeGreaterThanOrEqual(12);
    expect(cuts[0].frame).toBeLessThanOrEqual(18);
  });
});
