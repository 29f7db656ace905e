import { bgrTensor } from './image-tensor';

/** The tensor as first written, pixel by pixel: what the table-driven version must equal exactly. */
function reference(image: { data: Buffer; width: number; height: number }, width: number, height: number): Float32Array {
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(y, image.height - 1);
    for (let x = 0; x < width; x++) {
      const s = (sy * image.width + Math.min(x, image.width - 1)) * 3;
      const d = y * width + x;
      data[d] = image.data[s + 2] / 255;
      data[plane + d] = image.data[s + 1] / 255;
      data[2 * plane + d] = image.data[s] / 255;
    }
  }
  return data;
}

function randomImage(width: number, height: number, seed: number): { data: Buffer; width: number; height: number } {
  const data = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let i = 0; i < data.length; i++) data[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  return { data, width, height };
}

describe('bgrTensor', () => {
  it.each([
    [37, 21, 37, 21],
    [37, 21, 64, 32],
    [5, 3, 32, 32],
    [96, 48, 96, 48],
  ])('equals the per-pixel reference for a %dx%d image in a %dx%d tensor', (w, h, tw, th) => {
    const image = randomImage(w, h, w * 31 + h);
    const tensor = bgrTensor(image, tw, th);
    expect(tensor.dims).toEqual([1, 3, th, tw]);
    expect(Buffer.from((tensor.data as Float32Array).buffer).equals(Buffer.from(reference(image, tw, th).buffer))).toBe(true);
  });

  it('puts blue first and repeats the edge pixel into the padding', () => {
    const image = { data: Buffer.from([255, 0, 51, 0, 102, 0]), width: 2, height: 1 };
    const data = bgrTensor(image, 3, 2).data as Float32Array;
    expect(Array.from(data.subarray(0, 6))).toEqual([0.2, 0, 0, 0.2, 0, 0].map((v) => Math.fround(v)));
    expect(Array.from(data.subarray(6, 12))).toEqual([0, 0.4, 0.4, 0, 0.4, 0.4].map((v) => Math.fround(v)));
    expect(Array.from(data.subarray(12, 18))).toEqual([1, 0, 0, 1, 0, 0]);
  });
});
