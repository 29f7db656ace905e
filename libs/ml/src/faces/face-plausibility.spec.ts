import type { FoundFace } from '../engine-types';
import { eyeSpanOfBox, faceQuality, plausibleHumanFace } from './face-plausibility';

/** A face in a 100 px box with its eyes `span` px apart around x = 50 and the nose tip at `noseX`. */
function face(span: number, noseX = 50, score = 0.9, size = 100): FoundFace {
  const landmarks = Array.from({ length: 68 }, () => ({ x: 50, y: 60 }));
  for (let i = 36; i < 42; i++) landmarks[i] = { x: 50 - span / 2, y: 40 };
  for (let i = 42; i < 48; i++) landmarks[i] = { x: 50 + span / 2, y: 40 };
  landmarks[30] = { x: noseX, y: 55 };
  return { box: { x: 0, y: 0, width: size, height: size }, score, landmarks };
}

describe('plausibleHumanFace', () => {
  it('keeps eyes spread as a person’s (0.31–0.58 of the box measured) and drops them squeezed together (a dog’s head: 0.13–0.19)', () => {
    expect(eyeSpanOfBox(face(45))).toBeCloseTo(0.45, 5);
    expect(plausibleHumanFace(face(31))).toBe(true);
    expect(plausibleHumanFace(face(58))).toBe(true);
    expect(plausibleHumanFace(face(19))).toBe(false);
    expect(plausibleHumanFace(face(13))).toBe(false);
  });

  it('drops a detection without its 68 landmarks', () => {
    expect(plausibleHumanFace({ ...face(45), landmarks: [] })).toBe(false);
  });
});

describe('faceQuality', () => {
  it('ranks larger, surer and more frontal faces higher', () => {
    const base = faceQuality(face(45));
    expect(faceQuality(face(45, 50, 0.9, 150))).toBeGreaterThan(base);
    expect(faceQuality(face(45, 50, 0.6))).toBeLessThan(base);
    expect(faceQuality(face(45, 70))).toBeLessThan(base);
  });
});
