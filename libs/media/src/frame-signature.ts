/** A decoded frame: packed 8-bit RGB, row-major. */
export interface RgbFrame {
  data: Buffer;
  width: number;
  height: number;
}

/** A packed RGB frame read row by row, wherever its rows are held (e.g. spread over a pipe's chunks). */
export interface PixelRows {
  width: number;
  height: number;
  /** A buffer that holds row y whole, and the row's byte offset in it. */
  row(y: number): { data: Uint8Array; offset: number };
}

function rowsOf(frame: RgbFrame | PixelRows): PixelRows {
  if ('row' in frame) return frame;
  const stride = frame.width * 3;
  return { width: frame.width, height: frame.height, row: (y) => ({ data: frame.data, offset: y * stride }) };
}

/**
 * A frame's colour signature for shot detection: the mean R, G, B (0..255) of a SIG_W x SIG_H
 * grid of blocks. RGB rather than HSV: a dissolve or fade is then a straight line from one
 * signature to the next, which is how gradual transitions are told from motion.
 */
export interface FrameSignature {
  rgb: Uint8Array;
  /**
   * How bright the brightest parts are, 0..1: the 99th percentile of the blocks' brightest
   * channel. Low only for a picture dark all over (black between a fade out and in), not for
   * white titles on black.
   */
  brightness: number;
}

export const SIG_W = 32;
export const SIG_H = 18;
/** The near-duplicate grid, finer than the signature so a small caption still shows. */
const DUP_W = 64;
const DUP_H = 36;
/** Near-duplicate blocks: DUP_BLOCK x DUP_BLOCK cells of that grid. */
const DUP_BLOCK = 4;

/**
 * Mean R, G, B of each cell of a cols x rows grid laid over the frame, from every second pixel of
 * every second row (enough for a block mean, a quarter of the reads). The sums are whole numbers,
 * so summing a row's run of pixels of one cell before adding it in gives the same means exactly.
 */
function blockMeans(frame: PixelRows, cols: number, rows: number): Float32Array {
  const { width, height } = frame;
  const sums = new Float64Array(cols * rows * 3);
  const counts = new Uint32Array(cols * rows);
  // The sampled columns (even x) of each cell column, as [first x, end x): the cell of x is min(cols - 1, floor(x * cols / width)).
  const starts = new Int32Array(cols + 1).fill(-1);
  for (let x = 0; x < width; x += 2) {
    const c = Math.min(cols - 1, Math.floor((x * cols) / width));
    if (starts[c] < 0) starts[c] = x;
  }
  starts[cols] = width + (width % 2);
  for (let c = cols - 1; c >= 0; c--) if (starts[c] < 0) starts[c] = starts[c + 1];
  for (let y = 0; y < height; y += 2) {
    const row = Math.min(rows - 1, Math.floor((y * rows) / height)) * cols;
    const { data, offset: base } = frame.row(y);
    for (let c = 0; c < cols; c++) {
      const from = starts[c];
      const to = starts[c + 1];
      if (from >= to) continue;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let p = base + from * 3, end = base + to * 3; p < end; p += 6) {
        r += data[p];
        g += data[p + 1];
        b += data[p + 2];
      }
      const cell = row + c;
      sums[cell * 3] += r;
      sums[cell * 3 + 1] += g;
      sums[cell * 3 + 2] += b;
      counts[cell] += (to - from) >> 1;
    }
  }
  const out = new Float32Array(cols * rows * 3);
  for (let c = 0; c < counts.length; c++) {
    const n = counts[c] || 1;
    out[c * 3] = sums[c * 3] / n;
    out[c * 3 + 1] = sums[c * 3 + 1] / n;
    out[c * 3 + 2] = sums[c * 3 + 2] / n;
  }
  return out;
}

export function frameSignature(frame: RgbFrame | PixelRows): FrameSignature {
  const means = blockMeans(rowsOf(frame), SIG_W, SIG_H);
  const rgb = Uint8Array.from(means, (v) => Math.round(v));
  const values: number[] = [];
  for (let c = 0; c < rgb.length; c += 3) values.push(Math.max(rgb[c], rgb[c + 1], rgb[c + 2]));
  values.sort((a, b) => a - b);
  return { rgb, brightness: values[Math.floor(values.length * 0.99)] / 255 };
}

/** Content difference of two signatures, 0..1: the mean absolute difference over blocks and channels. */
export function signatureDiff(a: FrameSignature, b: FrameSignature): number {
  let sum = 0;
  for (let i = 0; i < a.rgb.length; i++) sum += Math.abs(a.rgb[i] - b.rgb[i]);
  return sum / (a.rgb.length * 255);
}

/** A block's largest channel change (0..255) below this counts as unchanged (encoder noise, slow drift). */
const OVERLAY_STILL_LEVEL = 12;
/** Blocks whose every channel is at most this in both frames (letterbox bars) say nothing either way. */
const OVERLAY_BLACK_LEVEL = 16;
/** Real cuts leave under 10% of the blocks unchanged; a title over a still shot, well over half. */
const OVERLAY_STILL_SHARE = 0.4;
/**
 * Text blended in or out brightens (or darkens) every block it covers: the net brightness change
 * of the changed blocks is at least this share of their total. Real title fades: 0.86-0.95; a
 * dissolve between two talking heads on one backdrop, also mostly unchanged: under 0.4.
 */
const OVERLAY_ONE_WAY = 0.7;

/**
 * Whether a and b are the same shot with something laid over part of it (a title or caption
 * fading or popping in or out): the change is confined to a region, at least
 * OVERLAY_STILL_SHARE of the picture is unchanged, and the changed part got brighter (or darker)
 * all one way, as a blend toward the text's colour does.
 */
export function isOverlayChange(a: FrameSignature, b: FrameSignature): boolean {
  let blocks = 0;
  let still = 0;
  let net = 0;
  let total = 0;
  for (let c = 0; c < a.rgb.length; c += 3) {
    const brightest = Math.max(a.rgb[c], a.rgb[c + 1], a.rgb[c + 2], b.rgb[c], b.rgb[c + 1], b.rgb[c + 2]);
    if (brightest <= OVERLAY_BLACK_LEVEL) continue;
    blocks += 1;
    const change = Math.max(Math.abs(a.rgb[c] - b.rgb[c]), Math.abs(a.rgb[c + 1] - b.rgb[c + 1]), Math.abs(a.rgb[c + 2] - b.rgb[c + 2]));
    if (change < OVERLAY_STILL_LEVEL) {
      still += 1;
      continue;
    }
    const brighter = b.rgb[c] + b.rgb[c + 1] + b.rgb[c + 2] - a.rgb[c] - a.rgb[c + 1] - a.rgb[c + 2];
    net += brighter;
    total += Math.abs(brighter);
  }
  return blocks > 0 && still >= OVERLAY_STILL_SHARE * blocks && Math.abs(net) >= OVERLAY_ONE_WAY * total;
}

/** Colour block means on the near-duplicate grid. */
export function detailGrid(frame: RgbFrame | PixelRows): Float32Array {
  return blockMeans(rowsOf(frame), DUP_W, DUP_H);
}

/**
 * How much the most changed part of the picture changed, 0..1: the largest mean colour
 * difference over blocks of the detail grid. A caption appearing on a still shot moves this even
 * though the whole frame barely changes; encoder noise averages out within a block.
 */
export function regionalChange(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let by = 0; by < DUP_H; by += DUP_BLOCK) {
    for (let bx = 0; bx < DUP_W; bx += DUP_BLOCK) {
      let sum = 0;
      for (let y = by; y < by + DUP_BLOCK; y++) {
        for (let x = bx; x < bx + DUP_BLOCK; x++) {
          const i = (y * DUP_W + x) * 3;
          sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
        }
      }
      worst = Math.max(worst, sum / (DUP_BLOCK * DUP_BLOCK * 3 * 255));
    }
  }
  return worst;
}
