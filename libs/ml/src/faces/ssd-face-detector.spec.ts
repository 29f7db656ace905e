import type { RgbImage } from './decode-image';
import { squareInput } from './ssd-face-detector';

const INPUT = 512;

/** The input as first written, pixel by pixel through a bounds-checked lookup: what squareInput must equal. */
function referenceInput(image: RgbImage): Float32Array {
  const side = Math.max(image.width, image.height);
  const ratio = side / INPUT;
  const out = new Float32Array(3 * INPUT * INPUT);
  const plane = INPUT * INPUT;
  const px = (x: number, y: number, c: number) => (x < image.width && y < image.height ? image.data[(y * image.width + x) * 3 + c] : 0);
  for (let oy = 0; oy < INPUT; oy++) {
    const sy = oy * ratio;
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, side - 1);
    const fy = sy - y0;
    for (let ox = 0; ox < INPUT; ox++) {
      const sx = ox * ratio;
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, side - 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const top = px(x0, y0, c) + (px(x1, y0, c) - px(x0, y0, c)) * fx;
        const bottom = px(x0, y1, c) + (px(x1, y1, c) - px(x0, y1, c)) * fx;
        out[c * plane + oy * INPUT + ox] = (top + (bottom - top) * fy) / 127.5 - 1;
      }
    }
  }
  return out;
}

function image(width: number, height: number): RgbImage {
  const data = Buffer.alloc(width * height * 3);
  let s = width * 31 + height;
  for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  return { data, width, height };
}

describe('squareInput (face-api SSD input)', () => {
  it.each([
    [1280, 720],
    [720, 1280],
    [400, 298],
    [512, 512],
    [333, 199],
    [7, 5],
  ])('equals the per-pixel reference float for float at %ix%i', (width, height) => {
    const picture = image(width, height);
    const got = squareInput(picture);
    const want = referenceInput(picture);
    expect(got.length).toBe(want.length);
    let differing = 0;
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) differing += 1;
    expect(differing).toBe(0);
  });
});
