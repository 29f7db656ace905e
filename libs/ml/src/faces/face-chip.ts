import sharp from 'sharp';
import type { Point } from '../engine-types';
import type { RgbImage } from './decode-image';

export type { Point };

/** Centres of the eyes (as they appear left and right in the image) and of the mouth, in image pixels. */
export interface FaceAnchors {
  leftEye: Point;
  rightEye: Point;
  mouth: Point;
}

/** The recognition net's input side. */
export const CHIP_SIZE = 150;

// face-api's dlib-style crop (FaceLandmarks.alignDlib): side = eye-to-mouth distance / 0.45, the
// anchors' centroid at 50% across and 43% down.
const REL_X = 0.5;
const REL_Y = 0.43;
const REL_SCALE = 0.45;

const BLACK = { r: 0, g: 0, b: 0 };

/**
 * The face as the recognition net wants it: CHIP_SIZE² RGB, eyes level. face-api crops the same
 * box but does not rotate it; on the demo photos, tilted heads then looked more like other tilted
 * heads than like the same person upright (see test/ml/faces.e2e-spec.ts). Outside the image is black.
 */
export async function alignedFaceChip(image: RgbImage, anchors: FaceAnchors): Promise<Buffer> {
  const { leftEye, rightEye, mouth } = anchors;
  const toMouth = (p: Point): number => Math.hypot(mouth.x - p.x, mouth.y - p.y);
  const side = Math.max(8, Math.floor((toMouth(leftEye) + toMouth(rightEye)) / 2 / REL_SCALE));
  const centre = { x: (leftEye.x + rightEye.x + mouth.x) / 3, y: (leftEye.y + rightEye.y + mouth.y) / 3 };
  const degrees = (Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x) * 180) / Math.PI;

  // A square around the centre, big enough that the crop stays inside it at any angle
  // (the crop's farthest corner is ~0.76 side from the centre; the square's inscribed circle 0.8).
  const square = Math.ceil(side * 1.6);
  const left = Math.round(centre.x - square / 2);
  const top = Math.round(centre.y - square / 2);
  const x0 = clamp(left, 0, image.width - 1);
  const y0 = clamp(top, 0, image.height - 1);
  const x1 = clamp(left + square, x0 + 1, image.width);
  const y1 = clamp(top + square, y0 + 1, image.height);
  const around = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .extend({ left: x0 - left, top: y0 - top, right: left + square - x1, bottom: top + square - y1, background: BLACK })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Rotating about the square's centre keeps it at the centre of the (larger) output.
  const level = await sharp(around.data, { raw: { width: around.info.width, height: around.info.height, channels: 3 } })
    .rotate(-degrees, { background: BLACK })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const cx = level.info.width / 2 + (centre.x - (left + square / 2));
  const cy = level.info.height / 2 + (centre.y - (top + square / 2));
  return sharp(level.data, { raw: { width: level.info.width, height: level.info.height, channels: 3 } })
    .extract({
      left: clamp(Math.round(cx - REL_X * side), 0, level.info.width - side),
      top: clamp(Math.round(cy - REL_Y * side), 0, level.info.height - side),
      width: side,
      height: side,
    })
    .resize(CHIP_SIZE, CHIP_SIZE)
    .raw()
    .toBuffer();
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}
