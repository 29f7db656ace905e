import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { ModelInfo, ModerationClassifier, ModerationScores } from '../engine-types';
import { decodeRgb } from '../faces/decode-image';
import { onTfjs, tfjs } from '../tfjs/tfjs-runtime';

type Nsfwjs = typeof import('nsfwjs');
type NsfwModel = Awaited<ReturnType<Nsfwjs['load']>>;

/** nsfwjs's MobileNetV2 input side. */
const INPUT = 224;
const CLASSES: readonly (keyof ModerationScores)[] = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'];

/**
 * Content moderation with nsfwjs's MobileNetV2 (weights inside the package) on the shared tfjs
 * runtime: the five class probabilities of one picture.
 */
export class NsfwClassifier implements ModerationClassifier {
  private constructor(
    readonly model: ModelInfo,
    private readonly net: NsfwModel,
  ) {}

  static async create(): Promise<NsfwClassifier> {
    await tfjs();
    const nsfwjs = await import('nsfwjs');
    // nsfwjs announces the bundled model on console.info at every load.
    const info = console.info;
    console.info = () => undefined;
    let net: NsfwModel;
    try {
      net = await nsfwjs.load('MobileNetV2');
    } finally {
      console.info = info;
    }
    // The package's exports leave out package.json: it is two folders above the CommonJS entry (dist/cjs).
    const version = (JSON.parse(readFileSync(join(dirname(require.resolve('nsfwjs')), '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    return new NsfwClassifier({ name: 'nsfwjs-mobilenet-v2', version }, net);
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
