import type { FaceDescriber, FaceDescription, FoundFace } from '@heimdex/ml';
import { FaceTracker } from './face-tracker';

function unit(...v: number[]): Float32Array {
  const n = Math.hypot(...v);
  return Float32Array.from(v.map((x) => x / n));
}

/** A face at x (40 px wide unless `size`), frontal, its landmarks laid out as a person's. */
function faceAt(x: number, score = 0.9, size = 40): FoundFace {
  const landmarks = Array.from({ length: 68 }, () => ({ x: x + size / 2, y: size / 2 }));
  for (let i = 36; i < 42; i++) landmarks[i] = { x: x + size * 0.3, y: size * 0.4 };
  for (let i = 42; i < 48; i++) landmarks[i] = { x: x + size * 0.7, y: size * 0.4 };
  return { box: { x, y: 0, width: size, height: size }, score, landmarks };
}

/** Describes each face by the descriptor registered for it; counts what it was asked. */
class ListDescriber implements FaceDescriber {
  readonly model = { name: 'list', version: '1' };
  readonly dims = 3;
  asked = 0;
  readonly of = new Map<FoundFace, Float32Array>();
  async describeFaces(_image: Buffer, faces: FoundFace[]): Promise<FaceDescription[]> {
    this.asked += faces.length;
    return faces.map((f) => ({ descriptor: this.of.get(f)!, expressions: { neutral: 1 } }));
  }
}

const image = Buffer.alloc(0);

describe('FaceTracker', () => {
  it('describes a still talking head once and follows it by its box', async () => {
    const d = new ListDescriber();
    const tracker = new FaceTracker(d, { threshold: 0.945, followThreshold: 0.85 });
    for (let k = 0; k < 6; k++) {
      const f = faceAt(100 + k);
      d.of.set(f, unit(1, 0, 0));
      await tracker.addFrame(k / 2, image, [f]);
    }
    expect(tracker.tracks()).toHaveLength(1);
    expect(tracker.tracks()[0].frames).toBe(6);
    expect(tracker.counts).toEqual({ faces: 6, described: 1, reused: 5 });
    expect(d.asked).toBe(1);
  });

  it('describes a clearly better face of a track again, at most maxDescribed times, and keeps it as the best', async () => {
    const d = new ListDescriber();
    const tracker = new FaceTracker(d, { threshold: 0.945, maxDescribed: 2 });
    const sizes = [40, 42, 60, 90, 140];
    for (const [k, size] of sizes.entries()) {
      const f = faceAt(100, 0.9, size);
      d.of.set(f, unit(1, k * 0.01, 0));
      await tracker.addFrame(k, image, [f]);
    }
    // 40 described; 42 is not clearly better; 60 is (≥ 1.25 × 40); then the cap of 2 is reached.
    expect(tracker.counts).toEqual({ faces: 5, described: 2, reused: 3 });
    const [track] = tracker.tracks();
    expect(track.best.frameS).toBe(2);
    expect(track.best.face.box.width).toBe(60);
  });

  it('keeps a second person apart, and picks a person up again by descriptor after a jump', async () => {
    const d = new ListDescriber();
    const tracker = new FaceTracker(d, { threshold: 0.9 });
    const [a1, b1] = [faceAt(100), faceAt(400)];
    d.of.set(a1, unit(1, 0, 0));
    d.of.set(b1, unit(0, 1, 0));
    await tracker.addFrame(0, image, [a1, b1]);
    // a moved far: no box continuation, so it is described and found by its descriptor.
    const [a2, b2] = [faceAt(700), faceAt(402)];
    d.of.set(a2, unit(0.98, 0.05, 0));
    d.of.set(b2, unit(0, 1, 0));
    await tracker.addFrame(0.5, image, [a2, b2]);
    const tracks = tracker.tracks();
    expect(tracks.map((t) => t.frames)).toEqual([2, 2]);
    expect(tracker.counts).toEqual({ faces: 4, described: 3, reused: 1 });
  });

  it('never puts two faces of one frame in one track, however alike', async () => {
    const d = new ListDescriber();
    const tracker = new FaceTracker(d, { threshold: 0.5 });
    const [a, b] = [faceAt(100), faceAt(400)];
    d.of.set(a, unit(1, 0, 0));
    d.of.set(b, unit(0.99, 0.01, 0));
    await tracker.addFrame(2, image, [a, b]);
    expect(tracker.tracks()).toHaveLength(2);
  });

  it('starts a new track when a better face in the same place turns out to be someone else', async () => {
    const d = new ListDescriber();
    const tracker = new FaceTracker(d, { threshold: 0.945, followThreshold: 0.85 });
    const a = faceAt(100, 0.9, 40);
    const b = faceAt(100, 0.99, 60);
    d.of.set(a, unit(1, 0, 0));
    d.of.set(b, unit(0, 1, 0));
    await tracker.addFrame(0, image, [a]);
    await tracker.addFrame(1, image, [b]);
    expect(tracker.tracks()).toHaveLength(2);
  });

  it('refuses frames out of time order', async () => {
    const tracker = new FaceTracker(new ListDescriber(), { threshold: 0.9 });
    await tracker.addFrame(1, image, []);
    await expect(tracker.addFrame(1, image, [])).rejects.toThrow('time order');
  });
});
