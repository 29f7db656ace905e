import type { SceneObject } from '@heimdex/db';
import type { DetectedObject } from '@heimdex/ml';

export interface FrameObjects {
  frameS: number;
  objects: DetectedObject[];
}

/**
 * One scene's objects from its frames: per label the best confidence, the most instances seen in
 * one frame and the first frame it was seen in; best confidence first.
 */
export function sceneObjects(frames: readonly FrameObjects[]): SceneObject[] {
  const byLabel = new Map<string, SceneObject>();
  for (const { frameS, objects } of frames) {
    const counts = new Map<string, number>();
    for (const o of objects) counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
    for (const o of objects) {
      const seen = byLabel.get(o.label);
      const count = counts.get(o.label)!;
      if (!seen) {
        byLabel.set(o.label, { label: o.label, confidence: round(o.score), count, firstS: frameS });
        continue;
      }
      seen.confidence = Math.max(seen.confidence, round(o.score));
      seen.count = Math.max(seen.count, count);
      seen.firstS = Math.min(seen.firstS, frameS);
    }
  }
  return [...byLabel.values()].sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label));
}

const round = (v: number) => Math.round(v * 1000) / 1000;
