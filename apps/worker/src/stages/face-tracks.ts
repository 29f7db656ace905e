import type { DetectedFace } from '@heimdex/ml';
import { meanDirection } from '@heimdex/ml';

export interface FrameFace {
  frameS: number;
  face: DetectedFace;
}

export interface FaceTrack {
  /** Unit mean of the members' descriptors. */
  descriptor: Float32Array;
  /** The member with the best detector score: its box, time and expressions describe the track. */
  best: FrameFace;
  frames: number;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

/**
 * Groups one scene's faces across its sampled frames into tracks, one per person seen: a face
 * joins the most similar track (at least `threshold`) that has no face from its frame yet, so
 * two people in one frame never merge. Faces are matched to people per track, not per frame.
 */
export function buildFaceTracks(faces: readonly FrameFace[], threshold: number): FaceTrack[] {
  const tracks: { members: FrameFace[]; descriptor: Float32Array }[] = [];
  const byFrame = [...new Set(faces.map((f) => f.frameS))].sort((a, b) => a - b);
  for (const frameS of byFrame) {
    const here = faces.filter((f) => f.frameS === frameS).sort((a, b) => b.face.score - a.face.score);
    const taken = new Set<number>();
    for (const ff of here) {
      let bestIdx = -1;
      let bestSim = threshold;
      tracks.forEach((t, i) => {
        if (taken.has(i)) return;
        const sim = cosine(t.descriptor, ff.face.descriptor);
        if (sim >= bestSim) [bestIdx, bestSim] = [i, sim];
      });
      if (bestIdx < 0) {
        tracks.push({ members: [ff], descriptor: ff.face.descriptor });
        bestIdx = tracks.length - 1;
      } else {
        const t = tracks[bestIdx];
        t.members.push(ff);
        t.descriptor = meanDirection(t.members.map((m) => m.face.descriptor));
      }
      taken.add(bestIdx);
    }
  }
  return tracks.map((t) => ({
    descriptor: t.descriptor,
    best: t.members.reduce((a, b) => (b.face.score > a.face.score ? b : a)),
    frames: t.members.length,
  }));
}
