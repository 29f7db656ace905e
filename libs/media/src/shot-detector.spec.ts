import { detectShots, ShotFrames } from './shot-detector';

/** Frames as tiny pictures (a few cell values, 0..1); difference = mean absolute difference. */
function frames(pictures: number[][]): ShotFrames {
  return {
    count: pictures.length,
    diff: (i, j) => pictures[i].reduce((s, v, k) => s + Math.abs(v - pictures[j][k]), 0) / pictures[i].length,
    brightness: (i) => Math.max(...pictures[i]),
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
