import { Tensor } from 'onnxruntime-node';
import type { RgbImage } from '../../faces/decode-image';

/** v / 255 as float32 for each byte value: the same numbers as dividing, a table read instead of a division per channel. */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * A [1, 3, height, width] float tensor of an RGB image in PP-OCR's channel order (B, G, R) and
 * scale (0..1, as @gutenye/ocr-common feeds these exports). Outside the image (padding to a
 * larger size), the nearest edge pixel is repeated.
 */
export function bgrTensor(image: RgbImage, width = image.width, height = image.height): Tensor {
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  const src = image.data;
  const inside = Math.min(width, image.width);
  for (let y = 0; y < height; y++) {
    let s = (y < image.height ? y : image.height - 1) * image.width * 3;
    const row = y * width;
    const rowEnd = row + width;
    let d = row;
    for (; d < row + inside; d++, s += 3) {
      data[d] = UNIT[src[s + 2]];
      data[plane + d] = UNIT[src[s + 1]];
      data[2 * plane + d] = UNIT[src[s]];
    }
    if (d < rowEnd) {
      data.fill(UNIT[src[s - 1]], d, rowEnd);
      data.fill(UNIT[src[s - 2]], plane + d, plane + rowEnd);
      data.fill(UNIT[src[s - 3]], 2 * plane + d, 2 * plane + rowEnd);
    }
  }
  return new Tensor('float32', data, [1, 3, height, width]);
}
