import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { io, Tensor } from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { ModelInfo, ModerationClassifier, ModerationScores } from '../engine-types';
import { decodeRgb } from '../faces/decode-image';
import { onTfjs, Tfjs, tfjs } from '../tfjs/tfjs-runtime';

type NsfwModel = import('nsfwjs').NSFWJS;

/** nsfwjs's MobileNetV2 input side. */
const INPUT = 224;
const CLASSES: readonly (keyof ModerationScores)[] = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'];

/**
 * Content moderation with nsfwjs's MobileNetV2 (weights inside the package, see bundledMobileNetV2) on the shared tfjs
 * runtime: the five class probabilities of one picture.
 */
export class NsfwClassifier implements ModerationClassifier {
  private constructor(
    readonly model: ModelInfo,
    private readonly net: NsfwModel,
  ) {}

  static async create(): Promise<NsfwClassifier> {
    const tf = await tfjs();
    const { NSFWJS } = await import('nsfwjs');
    const net = new NSFWJS(bundledMobileNetV2(tf), { size: INPUT });
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

/** nsfwjs's dist folder; the package's exports leave out everything but its entries, so it is found from the CommonJS entry (dist/cjs). */
function nsfwjsDist(): string {
  return join(dirname(require.resolve('nsfwjs')), '..');
}

function nsfwjsVersion(): string {
  return (JSON.parse(readFileSync(join(nsfwjsDist(), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

interface LayersModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

/**
 * The MobileNetV2 bundled in nsfwjs (model.min.js: the model JSON; one shard .min.js per weight file,
 * each exporting its bytes as one base64 string), handed to tfjs from memory. nsfwjs's own loader
 * imports each shard with TypeScript's __importStar, which copies the string's every index into an
 * object: 3.5 million properties, ~700 MB of peak RSS and tens of seconds for one load.
 */
function bundledMobileNetV2(tf: Tfjs): io.IOHandler {
  const dir = join(nsfwjsDist(), 'models', 'mobilenet_v2');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundles are UMD modules of data, named by path
  const json = require(join(dir, 'model.min.js')) as LayersModelJson;
  const shards = json.weightsManifest.flatMap((group) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    group.paths.map((path) => Buffer.from(require(join(dir, `${path}.min.js`)) as string, 'base64')),
  );
  const weights = Buffer.concat(shards);
  return tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  });
}
