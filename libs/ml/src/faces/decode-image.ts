import sharp, { type Metadata } from 'sharp';
import { errorMessage } from './error-message';
import { UnsupportedImageError } from './unsupported-image-error';

/** Decoded, upright (EXIF orientation applied) 8-bit RGB pixels, row-major, 3 channels. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Formats a still frame comes in; SVG and PDF are left out on purpose (they render, they are not photos). */
const STILL_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

/** 8192 × 8192: far above any video frame, and a cap on the memory one decode can take. */
const MAX_PIXELS = 8192 * 8192;

/**
 * Decodes an encoded image for the vision engines. Throws UnsupportedImageError for anything
 * that is not one still image: unknown bytes, SVG/PDF, animated GIF/WebP, multi-page TIFF,
 * images over MAX_PIXELS.
 */
export async function decodeRgb(image: Buffer): Promise<RgbImage> {
  let meta: Metadata;
  try {
    // sharp throws synchronously for some inputs (an empty buffer), asynchronously for others.
    meta = await sharp(image, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new UnsupportedImageError(`not a readable image (${errorMessage(err)})`);
  }
  if (!STILL_FORMATS.has(meta.format)) throw new UnsupportedImageError(`${meta.format} images are not supported; use JPEG, PNG or WebP`);
  const pages = meta.pages ?? 1;
  if (pages > 1) throw new UnsupportedImageError(`animated or multi-page images are not supported (${meta.format} with ${pages} frames)`);
  if (meta.width * meta.height > MAX_PIXELS) {
    throw new UnsupportedImageError(`image is too large (${meta.width}x${meta.height}; at most ${MAX_PIXELS} pixels)`);
  }
  try {
    const { data, info } = await sharp(image, { limitInputPixels: MAX_PIXELS })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new UnsupportedImageError(`image could not be decoded (${errorMessage(err)})`);
  }
}

/**
 * The image scaled down (never up) so its longer side is at most `maxSide`. `scale` maps the
 * result's pixels back: original = scaled / scale, per axis (rounding makes them differ slightly).
 */
export async function fitWithin(image: RgbImage, maxSide: number): Promise<{ image: RgbImage; scale: { x: number; y: number } }> {
  if (Math.max(image.width, image.height) <= maxSide) return { image, scale: { x: 1, y: 1 } };
  const landscape = image.width >= image.height;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(landscape ? { width: maxSide } : { height: maxSide })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, scale: { x: info.width / image.width, y: info.height / image.height } };
}
