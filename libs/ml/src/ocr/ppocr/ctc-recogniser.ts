import type { InferenceSession } from 'onnxruntime-node';
import sharp from 'sharp';
import type { Box } from '../../engine-types';
import type { RgbImage } from '../../faces/decode-image';
import { floatOutput } from '../../onnx/float-output';
import { CtcReading, ctcGreedyDecode } from './ctc-decode';
import { bgrTensor } from './image-tensor';

/** PP-OCRv4's recogniser reads lines 48 px high. */
export const RECOGNISER_HEIGHT = 48;

/** PP-OCR's CTC text recogniser: the text in one box of an image. */
export class CtcRecogniser {
  constructor(
    private readonly session: InferenceSession,
    private readonly modelPath: string,
    private readonly dictionary: readonly string[],
  ) {}

  async recognise(image: RgbImage, box: Box): Promise<CtcReading> {
    const line = await lineImage(image, box);
    const results = await this.session.run({ [this.session.inputNames[0]]: bgrTensor(line) });
    const out = floatOutput(results, this.session.outputNames[0], this.modelPath);
    const [steps, classes] = out.dims.slice(-2);
    if (classes !== this.dictionary.length + 1) throw new Error(`${this.modelPath} has ${classes} classes for a dictionary of ${this.dictionary.length}`);
    return ctcGreedyDecode(out.data, steps, classes, this.dictionary);
  }
}

/** The box's pixels scaled to the recogniser's height; a tall box (vertical text) is turned a quarter anticlockwise first. */
async function lineImage(image: RgbImage, box: Box): Promise<RgbImage> {
  const upright = box.height / box.width < 1.5;
  const [w, h] = upright ? [box.width, box.height] : [box.height, box.width];
  const width = Math.max(1, Math.round((w * RECOGNISER_HEIGHT) / h));
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).extract({
    left: box.x,
    top: box.y,
    width: box.width,
    height: box.height,
  });
  if (!upright) pipeline = sharp(await pipeline.raw().toBuffer(), { raw: { width: box.width, height: box.height, channels: 3 } }).rotate(270);
  const { data, info } = await pipeline
    .resize({ width, height: RECOGNISER_HEIGHT, fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
