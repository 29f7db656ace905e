import sharp from 'sharp';
import { decodeRgb, decodeRgbResized } from './decode-image';
import { UnsupportedImageError } from './unsupported-image-error';

/** A 1280x720 JPEG with detail at every scale: gradients plus a hash of the position. */
async function texturedJpeg(orientation?: number): Promise<Buffer> {
  const [width, height] = [1280, 720];
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const noise = ((x * 73856093) ^ (y * 19349663)) & 63;
      data[i] = (x / 5 + noise) & 255;
      data[i + 1] = (y / 3 + noise) & 255;
      data[i + 2] = ((x + y) / 8 + 2 * noise) & 255;
    }
  }
  const image = sharp(data, { raw: { width, height, channels: 3 } });
  return (orientation ? image.withMetadata({ orientation }) : image).jpeg({ quality: 88 }).toBuffer();
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

describe('decodeRgbResized', () => {
  it('gives the picture a full decode and a resize give, within a few levels, and the size it came from', async () => {
    const jpeg = await texturedJpeg();
    const resize = { width: 512, height: 512, fit: 'contain', position: 'left top', background: '#000000' } as const;
    const { image, source } = await decodeRgbResized(jpeg, resize);
    const full = await decodeRgb(jpeg);
    const reference = await sharp(full.data, { raw: { width: full.width, height: full.height, channels: 3 } })
      .resize(resize)
      .raw()
      .toBuffer();
    expect(source).toEqual({ width: 1280, height: 720 });
    expect([image.width, image.height]).toEqual([512, 512]);
    expect(image.data.length).toBe(reference.length);
    // Letterboxed below the picture: the last rows are the black background.
    expect(image.data.subarray(image.data.length - 512 * 3).every((v) => v === 0)).toBe(true);
    expect(meanAbsDiff(image.data, reference)).toBeLessThan(3);
  });

  it('reports the upright size of a picture its EXIF orientation turns a quarter', async () => {
    const { image, source } = await decodeRgbResized(await texturedJpeg(6), { width: 90, height: 160, fit: 'fill' });
    expect(source).toEqual({ width: 720, height: 1280 });
    expect([image.width, image.height]).toEqual([90, 160]);
  });

  it('refuses what decodeRgb refuses', async () => {
    await expect(decodeRgbResized(Buffer.from('definitely not pixels'), { width: 8, height: 8 })).rejects.toBeInstanceOf(UnsupportedImageError);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');
    await expect(decodeRgbResized(svg, { width: 8, height: 8 })).rejects.toThrow(/svg images are not supported/);
  });
});
