import type { Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { ModelInfo, ModerationClassifier, ModerationScores } from '../engine-types';
import { decodeRgb } from '../faces/decode-image';
import { foldBatchNorm } from '../tfjs/fold-batch-norm';
import { onTfjs, tfjs } from '../tfjs/tfjs-runtime';
import { nsfwjsMobileNetV2, nsfwjsVersion } from './nsfwjs-bundle';

type NsfwModel = import('nsfwjs').NSFWJS;

/** nsfwjs's MobileNetV2 input side. */
const INPUT = 224;
const CLASSES: readonly (keyof ModerationScores)[] = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'];

/**
 * Content moderation with nsfwjs's MobileNetV2 (weights inside the package, see nsfwjsMobileNetV2) on the shared tfjs
 * runtime: the five class probabilities of one picture. Its BatchNormalization layers are folded into their
 * convolutions at load (same scores within float rounding, `npm run eval:moderation` unchanged; about half the time
 * per picture, `npm run bench:vision-frames`).
 */
export class NsfwClassifier implements ModerationClassifier {
  private constructor(
    readonly model: ModelInfo,
    private readonly net: NsfwModel,
  ) {}

  /** `foldBatchNorm: false` keeps the model as nsfwjs ships it (for benchmarks). */
  static async create(options: { foldBatchNorm?: boolean } = {}): Promise<NsfwClassifier> {
    const tf = await tfjs();
    const { NSFWJS } = await import('nsfwjs');
    const bundled = nsfwjsMobileNetV2();
    const net = new NSFWJS(tf.io.fromMemory(options.foldBatchNorm === false ? bundled : foldBatchNorm(tf, bundled)), { size: INPUT });
    await net.load();
    return new NsfwClassifier({ name: 'nsfwjs-mobilenet-v2', version: nsfwjsVersion() }, net);
  }

  async classify(image: Buffer): Promise<ModerationScores> {
    const rgb = await decodeRgb(image);
    // Resized here (sharp, off the main thread) to the model's input: resizing a full frame inside tfjs blocks the event loop.
    const small = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
      .resize(INPUT, INPUT, { fit: 'fill' })
      .raw()
      .toBuffer();
    return onTfjs(async () => {
      const tf = await tfjs();
      const input = tf.tensor3d(small, [INPUT, INPUT, 3], 'int32');
      try {
        const out = this.net.infer(input) as Tensor;
        try {
          const p = await out.data();
          return Object.fromEntries(CLASSES.map((c, i) => [c, Math.round(p[i] * 1000) / 1000])) as unknown as ModerationScores;
        } finally {
          out.dispose();
        }
      } finally {
        input.dispose();
      }
    });
  }
}
