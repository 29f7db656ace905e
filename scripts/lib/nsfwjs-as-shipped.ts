import type { io, Tensor } from '@tensorflow/tfjs';
import { decodeRgb, ModerationScores, NSFW_INPUT } from '@heimdex/ml';
import sharp from 'sharp';
import { nsfwjsMobileNetV2 } from '../../libs/ml/src/moderation/nsfwjs-bundle';
import { tfjs } from '../../libs/ml/src/tfjs/tfjs-runtime';

const CLASSES: readonly (keyof ModerationScores)[] = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'];

/** nsfwjs's MobileNetV2 as the package ships it, on tfjs: the reference the worker's onnxruntime rewrite is compared with. */
export async function nsfwjsAsShipped(): Promise<{ classify(image: Buffer): Promise<ModerationScores> }> {
  const tf = await tfjs();
  const { NSFWJS } = await import('nsfwjs');
  const bundled = nsfwjsMobileNetV2();
  const weightData = new Uint8Array(bundled.data).buffer;
  const net = new NSFWJS(tf.io.fromMemory({ modelTopology: bundled.modelTopology, weightSpecs: bundled.weights as io.WeightsManifestEntry[], weightData }), {
    size: NSFW_INPUT,
  });
  await net.load();
  return {
    async classify(image) {
      const rgb = await decodeRgb(image);
      const small = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
        .resize(NSFW_INPUT, NSFW_INPUT, { fit: 'fill' })
        .raw()
        .toBuffer();
      const scores = tf.tidy(() => net.infer(tf.tensor3d(small, [NSFW_INPUT, NSFW_INPUT, 3], 'int32')) as Tensor);
      const p = await scores.data();
      scores.dispose();
      return Object.fromEntries(CLASSES.map((c, i) => [c, Math.round(p[i] * 1000) / 1000])) as unknown as ModerationScores;
    },
  };
}
