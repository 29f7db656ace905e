import type { Box, DetectedFace } from '@heimdex/ml';
import { meanDirection } from '@heimdex/ml';

export interface FrameFace {
  frameS: number;
  face: DetectedFace;
}

export interface FaceTrack {
  /** Unit mean of the descriptors of the track's best faces (highest detector scores). */
  descriptor: Float32Array;
  /** The member with the best detector score: its box, time and expressions describe the track. */
  best: FrameFace;
  frames: number;
}

export interface FaceTrackOptions {
  /** A face joins a track whose descriptor is at least this similar, wherever it is in the frame. */
  threshold: number;
  /**
   * ...or at least this similar when its box overlaps (IoU ≥ 0.3) the track's box on the previous
   * analysed frame: the same head that moved or turned a little. Default: threshold.
   */
  followThreshold?: number;
  /** The track descriptor averages at most this many of its best faces (default 5). */
  bestFaces?: number;
}

const FOLLOW_IOU = 0.3;

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

/**
 * Groups one scene's faces across its analysis frames into tracks, one per person seen: a face
 * joins the most similar track that has no face from its frame yet, at `threshold`, or at the
 * lower `followThreshold` when it continues that track's box from the previous frame; two people
 * in one frame never merge. The track's descriptor is the mean of its best faces' (sharp, frontal
 * faces score higher), so a blurred or turned frame does not pull it away.
 */
export function buildFaceTracks(faces: readonly FrameFace[], options: FaceTrackOptions | number): FaceTrack[] {
  const o = typeof options === 'number' ? { threshold: options } : options;
  const follow = Math.min(o.threshold, o.followThreshold ?? o.threshold);
  const bestFaces = o.bestFaces ?? 5;
  const tracks: { members: FrameFace[]; descriptor: Float32Array; last: FrameFace }[] = [];
  const byFrame = [...new Set(faces.map((f) => f.frameS))].sort((a, b) => a - b);
  let previousS: number | null = null;
  for (const frameS of byFrame) {
    const here = faces.filter((f) => f.frameS === frameS).sort((a, b) => b.face.score - a.face.score);
    const taken = new Set<number>();
    for (const ff of here) {
      let bestIdx = -1;
      let bestSim = -Infinity;
      tracks.forEach((t, i) => {
        if (taken.has(i)) return;
        const sim = cosine(t.descriptor, ff.face.descriptor);
        const continues = t.last.frameS === previousS && iou(t.last.face.box, ff.face.box) >= FOLLOW_IOU;
        if (sim >= (continues ? follow : o.threshold) && sim > bestSim) [bestIdx, bestSim] = [i, sim];
      });
      if (bestIdx < 0) {
        tracks.push({ members: [ff], descriptor: ff.face.descriptor, last: ff });
        bestIdx = tracks.length - 1;
      } else {
        const t = tracks[bestIdx];
        t.members.push(ff);
        t.last = ff;
        const top = [...t.members].sort((a, b) => b.face.score - a.face.score).slice(0, bestFaces);
        t.descriptor = meanDirection(top.map((m) => m.face.descriptor));
      }
      taken.add(bestIdx);
    }
    previousS = frameS;
  }
  return tracks.map((t) => ({
    descriptor: t.descriptor,
    best: t.members.reduce((a, b) => (b.face.score > a.face.score ? b : a)),
    frames: t.members.length,
  }));
}
