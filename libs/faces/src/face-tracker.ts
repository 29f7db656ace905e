import type { Box, FaceDescriber, FaceDescription, FoundFace } from '@heimdex/ml';
import { faceQuality, meanDirection } from '@heimdex/ml';

export interface FaceTrack {
  /** Unit mean of the descriptors computed for the track (its first face and the clearly better ones after it). */
  descriptor: Float32Array;
  /** The best described face (largest, most confident, most frontal): its box, time and expressions describe the track. */
  best: { frameS: number; face: FoundFace; expressions: Record<string, number> };
  /** Analysis frames the person was seen on. */
  frames: number;
}

export interface FaceTrackerOptions {
  /** A face that does not continue a track's box joins a track whose descriptor is at least this similar. */
  threshold: number;
  /**
   * A face continuing a track's box (IoU ≥ 0.3 with it on the previous analysed frame) that was
   * described stays in it at this similarity or more: the same head that moved or turned. Default: threshold.
   */
  followThreshold?: number;
  /** Descriptors computed per track at most (default 3). */
  maxDescribed?: number;
  /** A continuing face is described again only when its quality (faceQuality) is at least this many times the track's best so far (default 1.25). */
  betterBy?: number;
}

export interface FaceTrackerCounts {
  /** Faces given to the tracker. */
  faces: number;
  /** Faces whose descriptor was computed. */
  described: number;
  /** Faces that joined a track by its box alone, reusing the track's descriptor. */
  reused: number;
}

interface Track {
  descriptors: Float32Array[];
  descriptor: Float32Array;
  best: FaceTrack['best'];
  bestQuality: number;
  lastS: number;
  lastBox: Box;
  frames: number;
}

const FOLLOW_IOU = 0.3;

/**
 * Groups one shot's faces, frame by frame, into tracks, one per person seen, computing
 * descriptors only where they tell something new: a face that continues a track's box from the
 * previous analysed frame joins it without one, unless it is clearly better than the track's best
 * (then it is described, up to maxDescribed per track, and must still look like the track); every
 * other face is described and joins the most similar track not yet seen on its frame, at
 * `threshold`, or starts one. Two faces of one frame never share a track.
 */
export class FaceTracker {
  private readonly list: Track[] = [];
  private previousS: number | null = null;
  private readonly follow: number;
  private readonly maxDescribed: number;
  private readonly betterBy: number;
  readonly counts: FaceTrackerCounts = { faces: 0, described: 0, reused: 0 };

  constructor(
    private readonly describer: FaceDescriber,
    private readonly options: FaceTrackerOptions,
  ) {
    this.follow = Math.min(options.threshold, options.followThreshold ?? options.threshold);
    this.maxDescribed = options.maxDescribed ?? 3;
    this.betterBy = options.betterBy ?? 1.25;
    if (!(this.maxDescribed >= 1)) throw new Error(`maxDescribed must be at least 1, got ${this.maxDescribed}`);
  }

  /** The faces found on one frame (`image`), frames in time order. */
  async addFrame(frameS: number, image: Buffer, faces: readonly FoundFace[]): Promise<void> {
    if (this.previousS !== null && frameS <= this.previousS) throw new Error(`frames must come in time order (${frameS} s after ${this.previousS} s)`);
    this.counts.faces += faces.length;
    const continuing = this.continuations(faces);
    const quality = faces.map((f) => faceQuality(f));
    const toDescribe = faces
      .map((_, i) => i)
      .filter((i) => {
        const t = continuing.get(i);
        return !t || (t.descriptors.length < this.maxDescribed && quality[i] >= this.betterBy * t.bestQuality);
      });
    const described = new Map<number, FaceDescription>();
    if (toDescribe.length) {
      const out = await this.describer.describeFaces(
        image,
        toDescribe.map((i) => faces[i]),
      );
      toDescribe.forEach((i, k) => described.set(i, out[k]));
      this.counts.described += toDescribe.length;
    }

    const taken = new Set<Track>();
    const loose: number[] = [];
    for (const [i, t] of continuing) {
      const d = described.get(i);
      if (!d) {
        this.counts.reused += 1;
        this.extend(t, frameS, faces[i]);
      } else if (cosine(t.descriptor, d.descriptor) >= this.follow) {
        this.extend(t, frameS, faces[i], d, quality[i]);
      } else {
        loose.push(i);
        continue;
      }
      taken.add(t);
    }
    for (let i = 0; i < faces.length; i++) if (!continuing.has(i)) loose.push(i);
    loose.sort((a, b) => faces[b].score - faces[a].score);
    for (const i of loose) {
      const d = described.get(i)!;
      let best: Track | null = null;
      let bestSim = -Infinity;
      for (const t of this.list) {
        if (taken.has(t)) continue;
        const sim = cosine(t.descriptor, d.descriptor);
        if (sim >= this.options.threshold && sim > bestSim) [best, bestSim] = [t, sim];
      }
      if (best) this.extend(best, frameS, faces[i], d, quality[i]);
      else {
        best = {
          descriptors: [d.descriptor],
          descriptor: d.descriptor,
          best: { frameS, face: faces[i], expressions: d.expressions },
          bestQuality: quality[i],
          lastS: frameS,
          lastBox: faces[i].box,
          frames: 1,
        };
        this.list.push(best);
      }
      taken.add(best);
    }
    this.previousS = frameS;
  }

  tracks(): FaceTrack[] {
    return this.list.map((t) => ({ descriptor: t.descriptor, best: t.best, frames: t.frames }));
  }

  /** Face index → the track whose box on the previous frame it continues (greedy by overlap). */
  private continuations(faces: readonly FoundFace[]): Map<number, Track> {
    const pairs: { i: number; t: Track; overlap: number }[] = [];
    for (const t of this.list) {
      if (t.lastS !== this.previousS) continue;
      faces.forEach((f, i) => {
        const overlap = iou(t.lastBox, f.box);
        if (overlap >= FOLLOW_IOU) pairs.push({ i, t, overlap });
      });
    }
    pairs.sort((a, b) => b.overlap - a.overlap);
    const out = new Map<number, Track>();
    const used = new Set<Track>();
    for (const p of pairs) {
      if (out.has(p.i) || used.has(p.t)) continue;
      out.set(p.i, p.t);
      used.add(p.t);
    }
    return out;
  }

  private extend(t: Track, frameS: number, face: FoundFace, d?: FaceDescription, quality?: number): void {
    t.frames += 1;
    t.lastS = frameS;
    t.lastBox = face.box;
    if (!d || quality === undefined) return;
    if (t.descriptors.length < this.maxDescribed) {
      t.descriptors.push(d.descriptor);
      t.descriptor = meanDirection(t.descriptors);
    }
    if (quality > t.bestQuality) {
      t.best = { frameS, face, expressions: d.expressions };
      t.bestQuality = quality;
    }
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}
