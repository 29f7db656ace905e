import { pickFrames, planScenes } from './scene-plan';

describe('planScenes', () => {
  const opts = { minS: 1, maxS: 10 };

  it('makes one scene per shot', () => {
    expect(planScenes([2, 5], 8, opts)).toEqual([
      { startS: 0, endS: 2 },
      { startS: 2, endS: 5 },
      { startS: 5, endS: 8 },
    ]);
  });

  it('drops cuts closer than minS to the previous boundary or to the end', () => {
    expect(planScenes([2, 2.4, 7.6], 8, opts)).toEqual([
      { startS: 0, endS: 2 },
      { startS: 2, endS: 8 },
    ]);
  });

  it('keeps a short first or last shot of at least half of minS as its own scene', () => {
    expect(planScenes([0.6, 4, 7.5], 8, opts)).toEqual([
      { startS: 0, endS: 0.6 },
      { startS: 0.6, endS: 4 },
      { startS: 4, endS: 7.5 },
      { startS: 7.5, endS: 8 },
    ]);
    expect(planScenes([0.4, 4, 7.6], 8, opts)).toEqual([
      { startS: 0, endS: 4 },
      { startS: 4, endS: 8 },
    ]);
    // Between two shots, minS still holds.
    expect(planScenes([0.6, 1.2, 4], 8, opts)).toEqual([
      { startS: 0, endS: 0.6 },
      { startS: 0.6, endS: 4 },
      { startS: 4, endS: 8 },
    ]);
  });

  it('splits a shot longer than maxS into equal parts', () => {
    expect(planScenes([], 25, opts)).toEqual([
      { startS: 0, endS: 8.333 },
      { startS: 8.333, endS: 16.667 },
      { startS: 16.667, endS: 25 },
    ]);
  });

  it('gives nothing for a zero-length video and one scene without cuts', () => {
    expect(planScenes([], 0, opts)).toEqual([]);
    expect(planScenes([], 4, opts)).toEqual([{ startS: 0, endS: 4 }]);
  });
});

describe('pickFrames', () => {
  const candidates = Array.from({ length: 60 }, (_, i) => i * 0.5);
  const opts = { maxPerScene: 3, everyS: 10, marginS: 0.3 };

  it('takes the frame nearest the middle first, away from the cuts', () => {
    expect(pickFrames([{ startS: 2, endS: 5 }], candidates, opts)).toEqual([[3.5]]);
  });

  it('adds frames for long scenes, up to the maximum, never twice the same', () => {
    const [frames] = pickFrames([{ startS: 0, endS: 29.9 }], candidates, opts);
    expect(frames).toHaveLength(3);
    expect(new Set(frames).size).toBe(3);
    expect(frames[0]).toBe(15);
  });

  it('falls back to frames near a cut when the scene is too short for the margin', () => {
    expect(pickFrames([{ startS: 1, endS: 1.5 }], candidates, opts)).toEqual([[1]]);
  });
});
