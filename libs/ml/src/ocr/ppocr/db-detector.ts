import type { InferenceSession } from 'onnxruntime-node';
import sharp from 'sharp';
import type { Box } from '../../engine-types';
import { fitWithin, RgbImage } from '../../faces/decode-image';
import { floatOutput } from '../../onnx/float-output';
import { bgrTensor } from './image-tensor';
import { TextRegionRules, textRegions } from './text-regions';

/** The detector wants sides that are multiples of 32. */
export const DETECTOR_STRIDE = 32;

export interface DbDetectorOptions {
  /** Images are read with the longer side at most this. */
  maxSide: number;
  /** Smaller images are enlarged (Lanczos, at most 4x) until their longer side is this: text a few pixels high is otherwise missed. */
  minSide: number;
  regions: TextRegionRules;
}

/** PP-OCR's DB text detector: axis-aligned text boxes in the given image's pixels. */
export class DbDetector {
  constructor(
    private readonly session: InferenceSession,
    private readonly modelPath: string,
    private readonly options: DbDetectorOptions,
  ) {}

  /** Boxes in `region` only (default: the whole image), read at the scale the whole image would be. */
  async detect(image: RgbImage, region?: Box): Promise<Box[]> {
    const { image: input, scale } = region
      ? await scaleRegion(image, region, this.factor(image))
      : await fitBetween(image, this.options.minSide, this.options.maxSide);
    const area = region ?? { x: 0, y: 0, width: image.width, height: image.height };
    const width = roundUp(input.width);
    const height = roundUp(input.height);
    const results = await this.session.run({ [this.session.inputNames[0]]: bgrTensor(input, width, height) });
    const out = floatOutput(results, this.session.outputNames[0], this.modelPath);
    const [mapH, mapW] = out.dims.slice(-2);
    if (mapH !== height || mapW !== width) throw new Error(`${this.modelPath}: map is ${mapW}x${mapH} for a ${width}x${height} input`);
    return textRegions(out.data, width, height, this.options.regions)
      .map((b) => toOriginal(b, scale, area))
      .filter((b) => b.width > 0 && b.height > 0)
      .map((b) => ({ ...b, x: b.x + area.x, y: b.y + area.y }));
  }

  /** fitBetween's scale for this image. */
  private factor(image: RgbImage): number {
    const longer = Math.max(image.width, image.height);
    if (longer < this.options.minSide) return Math.min(4, this.options.minSide / longer);
    return longer > this.options.maxSide ? this.options.maxSide / longer : 1;
  }
}

async function scaleRegion(image: RgbImage, region: Box, factor: number): Promise<{ image: RgbImage; scale: { x: number; y: number } }> {
  const width = Math.max(1, Math.round(region.width * factor));
  const height = Math.max(1, Math.round(region.height * factor));
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, scale: { x: info.width / region.width, y: info.height / region.height } };
}

function roundUp(side: number): number {
  return Math.max(DETECTOR_STRIDE, Math.ceil(side / DETECTOR_STRIDE) * DETECTOR_STRIDE);
}

/** A box in the scaled image's pixels, in the original's whole pixels, clipped to it. */
function toOriginal(box: Box, scale: { x: number; y: number }, image: { width: number; height: number }): Box {
  const x0 = Math.max(0, Math.floor(box.x / scale.x));
  const y0 = Math.max(0, Math.floor(box.y / scale.y));
  const x1 = Math.min(image.width, Math.ceil((box.x + box.width) / scale.x));
  const y1 = Math.min(image.height, Math.ceil((box.y + box.height) / scale.y));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** fitWithin, and small images enlarged to minSide (at most 4x). */
async function fitBetween(image: RgbImage, minSide: number, maxSide: number): Promise<{ image: RgbImage; scale: { x: number; y: number } }> {
  const longer = Math.max(image.width, image.height);
  if (longer >= minSide) return fitWithin(image, maxSide);
  const target = Math.round(longer * Math.min(4, minSide / longer));
  const landscape = image.width >= image.height;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize({ ...(landscape ? { width: target } : { height: target }), kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, scale: { x: info.width / image.width, y: info.height / image.height } };
}
