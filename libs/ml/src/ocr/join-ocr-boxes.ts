import type { Box, OcrLine } from '../engine-types';

/** Readings less confident than this are dropped before joining (as @gutenye/ocr-common did). */
export const MIN_BOX_CONFIDENCE = 0.5;

/**
 * One frame's box readings as lines: blank and unconfident readings dropped, boxes whose
 * midlines are within half the mean box height joined left to right with a space (confidence:
 * their mean; box: around them all), lines top to bottom.
 */
export function joinOcrBoxes(readings: readonly OcrLine[], minConfidence = MIN_BOX_CONFIDENCE): OcrLine[] {
  const kept = readings.map((r) => ({ ...r, text: r.text.trim() })).filter((r) => r.text && r.confidence >= minConfidence);
  if (!kept.length) return [];
  const meanHeight = kept.reduce((sum, r) => sum + r.box.height, 0) / kept.length;
  const midline = (b: Box) => b.y + b.height / 2;
  const groups: OcrLine[][] = [];
  for (const r of kept) {
    const group = groups.find((g) => Math.abs(midline(g[0].box) - midline(r.box)) < meanHeight / 2);
    if (group) group.push(r);
    else groups.push([r]);
  }
  return groups
    .map((g) => g.sort((a, b) => a.box.x - b.box.x))
    .sort((a, b) => a[0].box.y - b[0].box.y)
    .map((g) => ({
      text: g.map((r) => r.text).join(' '),
      confidence: Math.min(1, Math.max(0, g.reduce((sum, r) => sum + r.confidence, 0) / g.length)),
      box: around(g.map((r) => r.box)),
    }));
}

function around(boxes: Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
