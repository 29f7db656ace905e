import { detailGrid, frameSignature, RgbFrame, SIG_H, SIG_W } from './frame-signature';

/** The block means as first written: one pixel at a time into float32 sums. */
function referenceMeans(frame: RgbFrame, cols: number, rows: number): Float32Array {
  const out = new Float32Array(cols * rows * 3);
  const counts = new Uint32Array(cols * rows);
  for (let y = 0; y < frame.height; y += 2) {
    const row = Math.min(rows - 1, Math.floor((y * rows) / frame.height)) * cols;
    for (let x = 0; x < frame.width; x += 2) {
      const cell = row + Math.min(cols - 1, Math.floor((x * cols) / frame.width));
      const p = (y * frame.width + x) * 3;
      for (let k = 0; k < 3; k++) out[cell * 3 + k] += frame.data[p + k];
      counts[cell] += 1;
    }
  }
  for (let c = 0; c < counts.length; c++) for (let k = 0; k < 3; k++) out[c * 3 + k] /= counts[c] || 1;
  return out;
}

function randomFrame(width: number, height: number, seed: number): RgbFrame {
  const data = Buffer.alloc(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    data[i] = s >> 23;
  }
  return { data, width, height };
}

describe('frame signatures', () => {
  it.each([
    [1280, 720],
    [333, 199],
    [40, 17],
    [7, 5],
  ])('are the per-pixel block means exactly, at %ix%i', (width, height) => {
    const frame = randomFrame(width, height, width * height);
    expect(Array.from(frameSignature(frame).rgb)).toEqual(Array.from(referenceMeans(frame, SIG_W, SIG_H), (v) => Math.round(v)));
    expect(Array.from(detailGrid(frame))).toEqual(Array.from(referenceMeans(frame, 64, 36)));
  });
});
