import type { Box } from '../engine-types';
import type { RgbImage } from '../faces/decode-image';
import { changedShare, DEFAULT_BOX_REUSE, TextCrop } from './stepwise-frame-reader';

/** changedShare as first written: every cell of every shift counted in full. */
function referenceShare(ref: TextCrop, frame: RgbImage): number {
  const { box, pixels } = ref;
  const rules = DEFAULT_BOX_REUSE;
  const cell = Math.max(3, Math.round(box.height / 3));
  const cols = Math.ceil(box.width / cell);
  const m = rules.maxPixelShift;
  let best = Infinity;
  for (let dy = -m; dy <= m; dy++) {
    for (let dx = -m; dx <= m; dx++) {
      const changed = new Map<number, number>();
      const counts = new Map<number, number>();
      for (let y = 0; y < box.height; y++) {
        for (let x = 0; x < box.width; x++) {
          const fx = Math.min(Math.min(frame.width, box.x + box.width + m) - 1, Math.max(Math.max(0, box.x - m), box.x + x + dx));
          const fy = Math.min(Math.min(frame.height, box.y + box.height + m) - 1, Math.max(Math.max(0, box.y - m), box.y + y + dy));
          const c = Math.floor(y / cell) * cols + Math.floor(x / cell);
          const i = (y * box.width + x) * 3;
          const j = (fy * frame.width + fx) * 3;
          const delta = Math.max(...[0, 1, 2].map((k) => Math.abs(pixels[i + k] - frame.data[j + k])));
          if (delta > rules.pixelDelta) changed.set(c, (changed.get(c) ?? 0) + 1);
          counts.set(c, (counts.get(c) ?? 0) + 1);
        }
      }
      best = Math.min(best, Math.max(...[...counts].map(([c, n]) => (changed.get(c) ?? 0) / n)));
    }
  }
  return best;
}

/** mulberry32 */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function frameWith(width: number, height: number, rand: () => number): RgbImage {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rand() * 256);
  return { data, width, height };
}

function cropOf(frame: RgbImage, box: Box): TextCrop {
  const pixels = new Uint8Array(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++)
    pixels.set(frame.data.subarray(((box.y + y) * frame.width + box.x) * 3, ((box.y + y) * frame.width + box.x + box.width) * 3), y * box.width * 3);
  return { box, pixels };
}

describe('changedShare', () => {
  it('gives the per-shift reference value on crops that moved, changed in places, or did not change', () => {
    const rand = random(7);
    const [width, height] = [160, 90];
    let between = 0;
    for (let trial = 0; trial < 40; trial++) {
      const before = frameWith(width, height, rand);
      const box = { x: Math.floor(rand() * 120), y: Math.floor(rand() * 60), width: 8 + Math.floor(rand() * 32), height: 6 + Math.floor(rand() * 24) };
      box.width = Math.min(box.width, width - box.x);
      box.height = Math.min(box.height, height - box.y);
      const ref = cropOf(before, box);
      // The next frame: the picture shifted by up to 3 px, then a few patches repainted.
      const after = frameWith(width, height, rand);
      const [sx, sy] = trial % 5 ? [Math.floor(rand() * 5) - 2, Math.floor(rand() * 5) - 2] : [3, -1];
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const [fx, fy] = [Math.min(width - 1, Math.max(0, x - sx)), Math.min(height - 1, Math.max(0, y - sy))];
          for (let k = 0; k < 3; k++) after.data[(y * width + x) * 3 + k] = before.data[(fy * width + fx) * 3 + k];
        }
      }
      for (let p = Math.floor(rand() * 4); p > 0; p--) {
        const [px, py, side] = [box.x + Math.floor(rand() * box.width), box.y + Math.floor(rand() * box.height), 1 + Math.floor(rand() * 6)];
        for (let y = py; y < Math.min(height, py + side); y++) for (let x = px; x < Math.min(width, px + side); x++) after.data[(y * width + x) * 3] ^= 0xff;
      }
      const share = changedShare(ref, after, DEFAULT_BOX_REUSE);
      if (share > 0 && share < 1) between += 1;
      expect(share).toBe(referenceShare(ref, after));
    }
    // Most cases land between 0 and 1, where an early stop that cut a shift short would show.
    expect(between).toBeGreaterThan(15);
  });
});
