import { Tensor } from 'onnxruntime-node';
import type { RgbImage } from '../../faces/decode-image';

/**
 * A [1, 3, height, width] float tensor of an RGB image in PP-OCR's channel order (B, G, R) and
 * scale (0..1, as @gutenye/ocr-common feeds these exports). Outside the image (padding to a
 * larger size), the nearest edge pixel is repeated.
 */
export function bgrTensor(image: RgbImage, width = image.width, height = image.height): Tensor {
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  const src = image.data;
  const lastX = image.width - 1;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(y, image.height - 1);
    for (let x = 0; x < width; x++) {
      // A comparison, not Math.min: see pixelDelta in stepwise-frame-reader.ts (Jest's global lookups).
      const s = (sy * image.width + (x < lastX ? x : lastX)) * 3;
      const d = y * width + x;
      data[d] = src[s + 2] / 255;
      data[plane + d] = src[s + 1] / 255;
      data[2 * plane + d] = src[s] / 255;
    }
  }
  return new Tensor('float32', data, [1, 3, height, width]);
}
