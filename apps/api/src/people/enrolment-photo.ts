import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import sharp, { type Metadata } from 'sharp';

/** Still photo formats taken for enrolment (SVG/PDF render, they are not photos). */
const PHOTO_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

export interface EnrolmentPhoto {
  /** Upright (EXIF orientation applied), re-encoded JPEG without metadata (no location or camera data kept). */
  jpeg: Buffer;
  width: number;
  height: number;
}

/**
 * Checks an uploaded photo before any face work and makes it upright: not an image or not a
 * still photo format → 415, animated or multi-page → 415, more than `maxPixels` → 413 (checked
 * from the header, before decoding). EXIF-rotated photos are rotated, not rejected.
 */
export async function prepareEnrolmentPhoto(bytes: Buffer, maxPixels: number): Promise<EnrolmentPhoto> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new UnsupportedMediaTypeException('the file is not an image Heimdex can read; send a JPEG, PNG or WebP photo');
  }
  if (!PHOTO_FORMATS.has(meta.format)) throw new UnsupportedMediaTypeException(`${meta.format} images are not supported; send a JPEG, PNG or WebP photo`);
  if ((meta.pages ?? 1) > 1) {
    throw new UnsupportedMediaTypeException(`animated or multi-page images are not supported (${meta.format} with ${meta.pages} frames); send a still photo`);
  }
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    throw new PayloadTooLargeException(`the photo is ${meta.width}x${meta.height} (${pixels} pixels); at most ${maxPixels} pixels are accepted`);
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels })
      .rotate()
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 92, mozjpeg: false })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch {
    throw new UnsupportedMediaTypeException(`the ${meta.format} image could not be decoded; it may be truncated or corrupt`);
  }
}
