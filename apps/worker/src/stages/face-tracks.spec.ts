import type { DetectedFace } from '@heimdex/ml';
import { buildFaceTracks } from './face-tracks';

function unit(...v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
}
const face = (descriptor: Float32Array, score = 0.9): DetectedFace => ({ box: { x: 0, y: 0, width: 10, height: 10 }, score, descriptor, expressions: {} });

describe('buildFaceTracks', () => {
  it('follows one person across frames and keeps a second person apart', () => {
    const a = unit(1, 0, 0);
    const a2 = unit(0.98, 0.05, 0);
    const b = unit(0, 1, 0);
    const tracks = buildFaceTracks(
      [
        { frameS: 1, face: face(a, 0.8) },
        { frameS: 1, face: face(b) },
        { frameS: 4, face: face(a2, 0.95) },
      ],
      0.9,
    );
    expect(tracks).toHaveLength(2);
    const ta = tracks.find((t) => t.frames === 2)!;
    expect(ta.best.frameS).toBe(4);
    expect(ta.descriptor[0]).toBeGreaterThan(0.99);
  });

  it('never puts two faces of one frame in one track, however alike', () => {
    const a = unit(1, 0, 0);
    const tracks = buildFaceTracks(
      [
        { frameS: 2, face: face(a) },
        { frameS: 2, face: face(unit(0.99, 0.01, 0)) },
      ],
      0.5,
    );
    expect(tracks).toHaveLength(2);
  });
});

describe('buildFaceTracks following a head', () => {
  const at = (x: number, descriptor: Float32Array, score = 0.9): DetectedFace => ({
    box: { x, y: 0, width: 40, height: 40 },
    score,
    descriptor,
    expressions: {},
  });

  it('keeps a turning head in one track when its box continues from the previous frame, not when it jumps', () => {
    const front = unit(1, 0, 0);
    const turned = unit(0.88, 0.47, 0); // cosine 0.88 with the front view
    const faces = [
      { frameS: 0, face: at(100, front) },
      { frameS: 0.5, face: at(105, turned, 0.7) },
    ];
    expect(buildFaceTracks(faces, { threshold: 0.945, followThreshold: 0.85 })).toHaveLength(1);
    // The same pair far apart in the frame is two people as far as the boxes tell.
    expect(buildFaceTracks([faces[0], { frameS: 0.5, face: at(400, turned, 0.7) }], { threshold: 0.945, followThreshold: 0.85 })).toHaveLength(2);
  });

  it('describes a track by its best faces, so a poor frame does not pull it away', () => {
    const good = unit(1, 0, 0);
    const poor = unit(0.86, 0.51, 0);
    const faces = [
      { frameS: 0, face: at(100, good, 0.99) },
      { frameS: 0.5, face: at(100, good, 0.98) },
      { frameS: 1, face: at(100, poor, 0.55) },
    ];
    const [track] = buildFaceTracks(faces, { threshold: 0.945, followThreshold: 0.85, bestFaces: 2 });
    expect(track.frames).toBe(3);
    expect(track.descriptor[0]).toBeCloseTo(1, 5);
  });
});
