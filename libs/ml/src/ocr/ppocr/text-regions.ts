import type { Box } from '../../engine-types';

export interface TextRegionRules {
  /** Probability map cells above this are text. */
  threshold: number;
  /** A region whose mean probability is below this is dropped (PaddleOCR's box_thresh). */
  minScore: number;
  /** Regions grow by area × ratio / perimeter on each side (DB's unclip), back to the text's full extent. */
  unclipRatio: number;
  /** Regions with a shorter side below this (map cells) before growing are noise. */
  minSide: number;
}

/**
 * Axis-aligned text boxes from a DB probability map (row-major, width × height): cells above
 * the threshold joined into 8-connected regions, each region's bounding box grown by the unclip
 * distance. Boxes are in map cells, clipped to the map.
 */
export function textRegions(prob: Float32Array, width: number, height: number, rules: TextRegionRules): Box[] {
  const label = new Int32Array(width * height);
  const stack: number[] = [];
  const boxes: Box[] = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (label[start] || prob[start] <= rules.threshold) continue;
    next += 1;
    label[start] = next;
    stack.push(start);
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    let sum = 0;
    let cells = 0;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      sum += prob[i];
      cells += 1;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (!label[j] && prob[j] > rules.threshold) {
            label[j] = next;
            stack.push(j);
          }
        }
      }
    }
    const [w, h] = [x1 - x0 + 1, y1 - y0 + 1];
    if (Math.min(w, h) < rules.minSide || sum / cells < rules.minScore) continue;
    const grow = (w * h * rules.unclipRatio) / (2 * (w + h));
    const bx0 = Math.max(0, Math.floor(x0 - grow));
    const by0 = Math.max(0, Math.floor(y0 - grow));
    const bx1 = Math.min(width, Math.ceil(x1 + 1 + grow));
    const by1 = Math.min(height, Math.ceil(y1 + 1 + grow));
    if (Math.min(bx1 - bx0, by1 - by0) < rules.minSide + 2) continue;
    boxes.push({ x: bx0, y: by0, width: bx1 - bx0, height: by1 - by0 });
  }
  return boxes;
}
