import { textRegions } from './text-regions';

const RULES = { threshold: 0.3, minScore: 0, unclipRatio: 1.5, minSide: 3 };

function map(width: number, height: number, rects: { x: number; y: number; w: number; h: number; p: number }[]): Float32Array {
  const out = new Float32Array(width * height);
  for (const r of rects) for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) out[y * width + x] = r.p;
  return out;
}

describe('textRegions', () => {
  it('gives each separate region its box, grown by the unclip distance (area × ratio / perimeter)', () => {
    const prob = map(100, 40, [
      { x: 10, y: 10, w: 30, h: 6, p: 0.9 },
      { x: 60, y: 20, w: 20, h: 10, p: 0.8 },
    ]);
    const boxes = textRegions(prob, 100, 40, RULES);
    // 30x6: grow 30*6*1.5 / 72 = 3.75 each side.
    expect(boxes).toEqual([
      { x: 6, y: 6, width: 38, height: 14 },
      // 20x10: grow 5.
      { x: 55, y: 15, width: 30, height: 20 },
    ]);
  });

  it('joins diagonal neighbours into one region and clips grown boxes to the map', () => {
    const prob = map(20, 20, [
      { x: 0, y: 0, w: 4, h: 4, p: 0.9 },
      { x: 4, y: 4, w: 4, h: 4, p: 0.9 },
    ]);
    const [box, ...rest] = textRegions(prob, 20, 20, RULES);
    expect(rest).toEqual([]);
    expect(box.x).toBe(0);
    expect(box.y).toBe(0);
    expect(box.x + box.width).toBeGreaterThan(8);
  });

  it('drops regions below the threshold, thinner than minSide, or less confident than minScore', () => {
    const prob = map(60, 30, [
      { x: 2, y: 2, w: 20, h: 5, p: 0.2 },
      { x: 2, y: 10, w: 20, h: 2, p: 0.9 },
      { x: 30, y: 10, w: 20, h: 6, p: 0.5 },
    ]);
    expect(textRegions(prob, 60, 30, RULES)).toHaveLength(1);
    expect(textRegions(prob, 60, 30, { ...RULES, minScore: 0.6 })).toEqual([]);
    expect(textRegions(prob, 60, 30, { ...RULES, threshold: 0.1 })).toHaveLength(2);
  });
});
