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
