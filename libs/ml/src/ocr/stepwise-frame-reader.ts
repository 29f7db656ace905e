import type { Box, OcrEngine, OcrLine, StepwiseOcr } from '../engine-types';
import type { RgbImage } from '../faces/decode-image';
import { joinOcrBoxes } from './join-ocr-boxes';

/** The engine as a stepwise one when it has detect() and recognise() (also when it runs in an engine thread), else null. */
export function stepwiseOcr(engine: OcrEngine): StepwiseOcr | null {
  const e = engine as Partial<StepwiseOcr>;
  return typeof e.detect === 'function' && typeof e.recognise === 'function' ? (engine as StepwiseOcr) : null;
}

export interface BoxReuseRules {
  /** Boxes are at the same place when each edge moved at most this fraction of the box's height (and at least 2 px are allowed). */
  maxEdgeShift: number;
  /** Pixels the text may have moved (jitter, a slow pan or zoom) when crops are compared. */
  maxPixelShift: number;
  /** A pixel changed when one of its channels moved by more than this (0..255): above video noise, below any text's contrast in some channel. */
  pixelDelta: number;
  /**
   * Their text is unchanged when, at the best shift, no cell of the crop (squares a third of the
   * box high) has more than this share of changed pixels: a changed character fills much of a cell.
   */
  maxChangedShare: number;
  /** Detection runs only where tiles of this many pixels changed since they were last detected on (a tile changed: more than 1% of its pixels). */
  tile: number;
  /** …unless the changed part is more than this share of the frame: then on all of it. */
  maxRegionShare: number;
}

export const DEFAULT_BOX_REUSE: BoxReuseRules = { maxEdgeShift: 0.25, maxPixelShift: 2, pixelDelta: 48, maxChangedShare: 0.05, tile: 16, maxRegionShare: 0.5 };

/** What reading one frame did and cost. */
export interface FrameOcrCost {
  detectMs: number;
  /** Share of the frame detection ran on (0: nothing changed, 1: all of it). */
  detectedShare: number;
  /** Recognition of the boxes read (0 when all were reused). */
  recogniseMs: number;
  boxes: number;
  recognised: number;
  reused: number;
}

interface Known {
  reading: OcrLine;
  /** The box's pixels when its text was recognised: later frames compare with these, so slow change cannot creep past the rule. */
  crop: TextCrop;
}

export interface TextCrop {
  box: Box;
  /** RGB, row-major. */
  pixels: Uint8Array;
}

/**
 * Reads the frames of one shot in order, running the models only where the picture changed:
 * detection on the part of the frame that changed since it was last detected on (all of it when
 * that is most of the frame; none when nothing changed), and recognition only of boxes that are
 * new: a box at the place of a box of the previous frame whose pixels have not changed since that
 * text was recognised keeps its text. Make one per scene.
 */
export class StepwiseFrameReader {
  private previous: Known[] = [];
  /** Each pixel as it was when detection last ran over it. */
  private reference: RgbImage | null = null;

  constructor(
    private readonly ocr: StepwiseOcr,
    private readonly rules: BoxReuseRules = DEFAULT_BOX_REUSE,
  ) {}

  async read(frame: RgbImage): Promise<{ lines: OcrLine[]; cost: FrameOcrCost }> {
    const t0 = performance.now();
    const region = this.detectionRegion(frame);
    let boxes: Box[];
    if (region === 'all') boxes = await this.ocr.detect(frame);
    else if (region === 'none') boxes = this.previous.map((p) => p.reading.box);
    else boxes = [...this.previous.map((p) => p.reading.box).filter((b) => !intersects(b, region)), ...(await this.ocr.detect(frame, region))];
    this.remember(frame, region);
    const t1 = performance.now();
    const current: (Known | null)[] = boxes.map((box) => {
      const same = this.previous.find(
        (p) => samePlace(p.reading.box, box, this.rules) && changedShare(p.crop, frame, this.rules) <= this.rules.maxChangedShare,
      );
      return same ? { ...same, reading: { ...same.reading, box } } : null;
    });
    const toRead = boxes.filter((_, i) => !current[i]);
    const readings = toRead.length ? await this.ocr.recognise(frame, toRead) : [];
    const t2 = performance.now();
    // Readings carry their own boxes: a box read as two stacked lines comes back as two.
    const known = [
      ...current.filter((k): k is Known => k !== null),
      ...readings.map((reading) => ({ reading, crop: { box: reading.box, pixels: crop(frame, reading.box) } })),
    ];
    this.previous = known;
    const frameArea = frame.width * frame.height;
    const detectedShare = region === 'all' ? 1 : region === 'none' ? 0 : (region.width * region.height) / frameArea;
    return {
      lines: joinOcrBoxes(known.map((k) => k.reading)),
      cost: { detectMs: t1 - t0, detectedShare, recogniseMs: t2 - t1, boxes: boxes.length, recognised: toRead.length, reused: boxes.length - toRead.length },
    };
  }

  /**
   * Where detection must run: around the tiles that changed since detection last ran over them,
   * grown to take in whole any known box it touches (a box is detected whole or not at all).
   */
  private detectionRegion(frame: RgbImage): Box | 'all' | 'none' {
    const ref = this.reference;
    if (!ref || ref.width !== frame.width || ref.height !== frame.height) return 'all';
    const t = this.rules.tile;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
    for (let ty = 0; ty < frame.height; ty += t) {
      for (let tx = 0; tx < frame.width; tx += t) {
        const [w, h] = [Math.min(t, frame.width - tx), Math.min(t, frame.height - ty)];
        const enough = Math.max(1, 0.01 * w * h);
        let changed = 0;
        // Counting stops once the tile has changed: in moving shots most tiles are decided within a few rows.
        for (let y = ty; y < ty + h && changed <= enough; y++) {
          for (let i = (y * frame.width + tx) * 3, end = i + w * 3; i < end; i += 3) {
            if (pixelDelta(frame.data, i, ref.data, i) > this.rules.pixelDelta) changed += 1;
          }
        }
        if (changed > enough) [x0, y0, x1, y1] = [Math.min(x0, tx), Math.min(y0, ty), Math.max(x1, tx + w), Math.max(y1, ty + h)];
      }
    }
    if (x1 < 0) return 'none';
    // A tile's worth of margin: the detector needs some context around text, and grown boxes reach past the glyphs.
    let region = clip({ x: x0 - t, y: y0 - t, width: x1 - x0 + 2 * t, height: y1 - y0 + 2 * t }, frame);
    for (let grown = true; grown;) {
      grown = false;
      for (const p of this.previous) {
        const b = p.reading.box;
        if (intersects(b, region) && !contains(region, b)) {
          region = around(region, b);
          grown = true;
        }
      }
    }
    return region.width * region.height > this.rules.maxRegionShare * frame.width * frame.height ? 'all' : region;
  }

  private remember(frame: RgbImage, region: Box | 'all' | 'none'): void {
    if (region === 'all' || !this.reference) this.reference = { ...frame, data: Buffer.from(frame.data) };
    else if (region !== 'none') {
      for (let y = region.y; y < region.y + region.height; y++) {
        const from = (y * frame.width + region.x) * 3;
        frame.data.copy(this.reference.data, from, from, from + region.width * 3);
      }
    }
  }
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function contains(outer: Box, inner: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function around(a: Box, b: Box): Box {
  const [x0, y0] = [Math.min(a.x, b.x), Math.min(a.y, b.y)];
  return { x: x0, y: y0, width: Math.max(a.x + a.width, b.x + b.width) - x0, height: Math.max(a.y + a.height, b.y + b.height) - y0 };
}

function clip(b: Box, image: { width: number; height: number }): Box {
  const [x0, y0] = [Math.max(0, b.x), Math.max(0, b.y)];
  return { x: x0, y: y0, width: Math.min(image.width, b.x + b.width) - x0, height: Math.min(image.height, b.y + b.height) - y0 };
}

function samePlace(a: Box, b: Box, rules: BoxReuseRules): boolean {
  const tolerance = Math.max(2, rules.maxEdgeShift * Math.min(a.height, b.height));
  return (
    Math.abs(a.x - b.x) <= tolerance &&
    Math.abs(a.y - b.y) <= tolerance &&
    Math.abs(a.x + a.width - (b.x + b.width)) <= tolerance &&
    Math.abs(a.y + a.height - (b.y + b.height)) <= tolerance
  );
}

function crop(image: RgbImage, box: Box): Uint8Array {
  const out = new Uint8Array(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * image.width + box.x) * 3;
    out.set(image.data.subarray(from, from + box.width * 3), y * box.width * 3);
  }
  return out;
}

/**
 * How much of the reference crop changed in `frame`: for each shift up to maxPixelShift, the
 * largest share of changed pixels in any cell; the smallest of those over the shifts.
 */
export function changedShare(ref: TextCrop, frame: RgbImage, rules: BoxReuseRules): number {
  const { box, pixels } = ref;
  const cell = Math.max(3, Math.round(box.height / 3));
  const cols = Math.ceil(box.width / cell);
  const rows = Math.ceil(box.height / cell);
  const m = rules.maxPixelShift;
  const x0 = Math.max(0, box.x - m);
  const y0 = Math.max(0, box.y - m);
  const curW = Math.min(frame.width, box.x + box.width + m) - x0;
  const curH = Math.min(frame.height, box.y + box.height + m) - y0;
  const current = crop(frame, { x: x0, y: y0, width: curW, height: curH });
  const [ox, oy] = [box.x - x0, box.y - y0];
  const columnCell = Uint32Array.from({ length: box.width }, (_, x) => Math.floor(x / cell));
  const changed = new Uint32Array(rows * cols);
  const counts = new Uint32Array(rows * cols);
  for (let y = 0; y < box.height; y++) for (let x = 0; x < box.width; x++) counts[Math.floor(y / cell) * cols + columnCell[x]] += 1;
  let best = Infinity;
  for (let dy = -m; dy <= m && best > 0; dy++) {
    for (let dx = -m; dx <= m && best > 0; dx++) {
      changed.fill(0);
      let worst = 0;
      // A shift is given up once one of its cells has changed as much as the best shift's worst cell: it cannot be better.
      scan: for (let y = 0; y < box.height; y++) {
        const cy = Math.min(curH - 1, Math.max(0, y + oy + dy));
        const rowCell = Math.floor(y / cell) * cols;
        for (let x = 0; x < box.width; x++) {
          const shifted = x + ox + dx;
          const cx = shifted < 0 ? 0 : shifted >= curW ? curW - 1 : shifted;
          if (pixelDelta(pixels, (y * box.width + x) * 3, current, (cy * curW + cx) * 3) <= rules.pixelDelta) continue;
          const c = rowCell + columnCell[x];
          changed[c] += 1;
          if (changed[c] / counts[c] >= best) {
            worst = best;
            break scan;
          }
        }
      }
      for (let c = 0; c < changed.length && worst < best; c++) if (counts[c]) worst = Math.max(worst, changed[c] / counts[c]);
      best = Math.min(best, worst);
    }
  }
  return best;
}

/**
 * The largest channel difference between pixel `i` of `a` and pixel `j` of `b` (RGB). Written with
 * comparisons rather than Math.max/Math.abs for the per-pixel loops: inside Jest's VM context
 * every read of the global `Math` is an intercepted lookup, which made these loops ~100x slower in
 * tests than in the worker.
 */
function pixelDelta(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
  let d = a[i] - b[j];
  if (d < 0) d = -d;
  let g = a[i + 1] - b[j + 1];
  if (g < 0) g = -g;
  let v = a[i + 2] - b[j + 2];
  if (v < 0) v = -v;
  if (g > d) d = g;
  return v > d ? v : d;
}
