import sharp, { type Metadata, type ResizeOptions } from 'sharp';
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
  await stillImageSize(image);
  return decode(image);
}

/**
 * decodeRgb's checks, and the upright image resized while it decodes: a JPEG is then decoded at
 * 1/2, 1/4 or 1/8 of its size where that still covers the result, a fraction of a full decode's
 * cost. For models whose input is much smaller than a frame; `source` is the upright image's size.
 */
export async function decodeRgbResized(image: Buffer, resize: ResizeOptions): Promise<{ image: RgbImage; source: { width: number; height: number } }> {
  const source = await stillImageSize(image);
  return { image: await decode(image, resize), source };
}

/** The upright size of a still image, or UnsupportedImageError. */
async function stillImageSize(image: Buffer): Promise<{ width: number; height: number }> {
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
  // EXIF orientations 5 to 8 turn the picture a quarter.
  return (meta.orientation ?? 1) >= 5 ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}

async function decode(image: Buffer, resize?: ResizeOptions): Promise<RgbImage> {
  try {
    let pipeline = sharp(image, { limitInputPixels: MAX_PIXELS }).autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb');
    if (resize) pipeline = pipeline.resize(resize);
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
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
