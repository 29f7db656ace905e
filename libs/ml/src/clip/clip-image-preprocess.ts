import sharp from 'sharp';
import type { ClipSpec } from '../registry/model-manifest';

/**
 * CLIP's image preprocessing: EXIF orientation applied, shortest edge resized to `size` (bicubic),
 * centre crop to size × size, RGB scaled to 0..1 and normalised per channel by mean/std.
 * Returns one image as CHW float32 ([3, size, size], row-major).
 */
export async function clipPixelValues(image: Buffer, p: ClipSpec['preprocessing']): Promise<Float32Array> {
  const { data, info } = await sharp(image)
    .autoOrient()
    // cover = resize so the shortest edge is `size`, then crop the centre: CLIPImageProcessor's resize + center_crop.
    .resize(p.size, p.size, { fit: 'cover', position: 'centre', kernel: 'cubic' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== p.size || info.height !== p.size) {
    throw new Error(`image preprocessing gave ${info.width}x${info.height}x${info.channels}, expected ${p.size}x${p.size}x3`);
  }
  const plane = p.size * p.size;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (data[i * 3 + c] / 255 - p.mean[c]) / p.std[c];
  }
  return out;
}
