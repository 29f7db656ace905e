import { median } from '../model-call-times';
import type { FrameOcrCost } from './stepwise-frame-reader';

/**
 * What reading a video's frames cost, for a stage note: boxes detected, recognised and reused,
 * the share of the frames' area detection ran on, and the median detection time per frame and recognition time per recognised box (each frame's
 * recognition time shared among the boxes it read).
 */
export function summariseOcrCosts(costs: readonly FrameOcrCost[]): string {
  const sum = (f: (c: FrameOcrCost) => number) => costs.reduce((n, c) => n + f(c), 0);
  const perBox = costs.filter((c) => c.recognised > 0).map((c) => c.recogniseMs / c.recognised);
  return (
    `${sum((c) => c.boxes)} text box(es) detected, ${sum((c) => c.recognised)} recognised, ${sum((c) => c.reused)} reused unchanged; ` +
    `detection on ${Math.round((100 * sum((c) => c.detectedShare)) / Math.max(1, costs.length))}% of the frame area, ` +
    `${Math.round(median(costs.map((c) => c.detectMs)))} ms/frame, recognition ${Math.round(median(perBox))} ms/box (medians)`
  );
}
