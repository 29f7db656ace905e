import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import type { ModelInfo, ModerationClassifier, ModerationScores } from '../engine-types';
import { decodeRgb } from '../faces/decode-image';
import { floatOutput } from '../onnx/float-output';
import { createOnnxSession } from '../onnx/onnx-session';
import { rgbPlanes } from '../onnx/rgb-planes';
import { layersModelToOnnx } from '../tfjs/layers-model-onnx';
import { decodeTfjsWeights } from '../tfjs/tfjs-weights';
import { nsfwjsMobileNetV2, nsfwjsVersion } from './nsfwjs-bundle';

/** nsfwjs's MobileNetV2 input side. */
export const NSFW_INPUT = 224;
const CLASSES: readonly (keyof ModerationScores)[] = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'];
const MODEL_NAME = 'nsfwjs mobilenet_v2';

/**
 * Content moderation with nsfwjs's MobileNetV2 (weights inside the package, see nsfwjsMobileNetV2): the five
 * class probabilities of one picture. The Keras model is rewritten as ONNX at load (layers-model-onnx.ts) and run
 * on onnxruntime, fed as nsfwjs feeds it: the picture resized to 224×224 and scaled to 0..1.
 */
export class NsfwClassifier implements ModerationClassifier {
  private constructor(
    readonly model: ModelInfo,
    private readonly session: InferenceSession,
  ) {}

  static async create(options: { threads?: number } = {}): Promise<NsfwClassifier> {
    const bundled = nsfwjsMobileNetV2();
    const bytes = layersModelToOnnx(bundled.modelTopology, decodeTfjsWeights(bundled.data, bundled.weights), MODEL_NAME);
    const session = await createOnnxSession({ name: MODEL_NAME, bytes }, { threads: options.threads ?? 1 });
    return new NsfwClassifier({ name: 'nsfwjs-mobilenet-v2', version: nsfwjsVersion() }, session);
  }

  async classify(image: Buffer): Promise<ModerationScores> {
    const rgb = await decodeRgb(image);
    const small = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
      .resize(NSFW_INPUT, NSFW_INPUT, { fit: 'fill' })
      .raw()
      .toBuffer();
    const input = new Tensor('float32', rgbPlanes(small, NSFW_INPUT * NSFW_INPUT, 255), [1, 3, NSFW_INPUT, NSFW_INPUT]);
    const out = await this.session.run({ [this.session.inputNames[0]]: input });
    const p = floatOutput(out, this.session.outputNames[0], MODEL_NAME).data;
    return Object.fromEntries(CLASSES.map((c, i) => [c, Math.round(p[i] * 1000) / 1000])) as unknown as ModerationScores;
  }
}
