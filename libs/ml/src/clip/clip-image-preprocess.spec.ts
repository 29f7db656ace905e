import sharp, { type Sharp } from 'sharp';
import { clipPixelValues } from './clip-image-preprocess';

const MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

/** The R, G, B values (0..255, de-normalised) at one pixel of a CHW result. */
function rgbAt(chw: Float32Array, size: number, x: number, y: number): number[] {
  return [0, 1, 2].map((c) => Math.round((chw[c * size * size + y * size + x] * STD[c] + MEAN[c]) * 255) + 0);
}

/** 64×32: left half red, right half blue. */
function halves(): Sharp {
  const width = 64;
  const height = 32;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

describe('clipPixelValues', () => {
  it('normalises a solid colour by mean and std into three constant planes', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: 100, b: 50 } } })
      .png()
      .toBuffer();
    const out = await clipPixelValues(png, { size: 224, mean: MEAN, std: STD });
    expect(out).toHaveLength(3 * 224 * 224);
    [200, 100, 50].forEach((v, c) => {
      const expected = (v / 255 - MEAN[c]) / STD[c];
      const plane = out.subarray(c * 224 * 224, (c + 1) * 224 * 224);
      expect(Math.max(...plane.map((p) => Math.abs(p - expected)))).toBeLessThan(1e-6);
    });
  });

  it('resizes the shortest edge and keeps the centre: a wide image loses its sides', async () => {
    const png = await halves().png().toBuffer();
    const out = await clipPixelValues(png, { size: 16, mean: MEAN, std: STD });
    // 64×32 → 32×16 → columns 8..23: red on the left, blue on the right, full height.
    expect(rgbAt(out, 16, 1, 1)).toEqual([255, 0, 0]);
    expect(rgbAt(out, 16, 14, 14)).toEqual([0, 0, 255]);
  });

  it('applies the EXIF orientation before cropping', async () => {
    // Orientation 6 displays the stored image turned 90° clockwise: the red left half on top.
    const jpeg = await halves().jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const out = await clipPixelValues(jpeg, { size: 16, mean: MEAN, std: STD });
    const near = (actual: number[], expected: number[]): boolean => actual.every((v, i) => Math.abs(v - expected[i]) <= 8);
    expect(near(rgbAt(out, 16, 14, 1), [255, 0, 0])).toBe(true);
    expect(near(rgbAt(out, 16, 1, 14), [0, 0, 255])).toBe(true);
  });

  it('gives three channels for greyscale and drops alpha', async () => {
    const grey = await sharp(Buffer.alloc(20 * 20, 90), { raw: { width: 20, height: 20, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    expect(rgbAt(await clipPixelValues(grey, { size: 8, mean: MEAN, std: STD }), 8, 3, 3)).toEqual([90, 90, 90]);
    const rgba = await sharp({ create: { width: 20, height: 20, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } })
      .png()
      .toBuffer();
    // libvips resizes premultiplied, so a half-transparent pixel may come back one level darker.
    const [r, g, b] = rgbAt(await clipPixelValues(rgba, { size: 8, mean: MEAN, std: STD }), 8, 3, 3);
    expect([Math.abs(r - 10), Math.abs(g - 20), Math.abs(b - 30)].every((d) => d <= 1)).toBe(true);
  });

  it('rejects bytes that are not an image', async () => {
    await expect(clipPixelValues(Buffer.from('not an image'), { size: 8, mean: MEAN, std: STD })).rejects.toThrow(/unsupported image format/);
  });
});
