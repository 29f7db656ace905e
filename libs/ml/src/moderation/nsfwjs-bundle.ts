import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KerasTopology } from '../tfjs/layers-model-onnx';
import type { TfjsWeightEntry, TfjsWeightGroup } from '../tfjs/tfjs-weights';

/** nsfwjs's dist folder; the package's exports leave out everything but its entries, so it is found from the CommonJS entry (dist/cjs). */
function nsfwjsDist(): string {
  return join(dirname(require.resolve('nsfwjs')), '..');
}

export function nsfwjsVersion(): string {
  return (JSON.parse(readFileSync(join(nsfwjsDist(), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

interface LayersModelJson {
  modelTopology: KerasTopology;
  weightsManifest: TfjsWeightGroup[];
}

/** The bundled model: its Keras topology, its weights' manifest entries and their bytes (the shards end to end). */
export interface NsfwjsBundle {
  modelTopology: KerasTopology;
  weights: TfjsWeightEntry[];
  data: Buffer;
}

/**
 * The MobileNetV2 bundled in nsfwjs (model.min.js: the model JSON; one shard .min.js per weight file,
 * each exporting its bytes as one base64 string), read into memory. nsfwjs's own loader
 * imports each shard with TypeScript's __importStar, which copies the string's every index into an
 * object: 3.5 million properties, ~700 MB of peak RSS and tens of seconds for one load.
 */
export function nsfwjsMobileNetV2(): NsfwjsBundle {
  const dir = join(nsfwjsDist(), 'models', 'mobilenet_v2');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundles are UMD modules of data, named by path
  const json = require(join(dir, 'model.min.js')) as LayersModelJson;
  const shards = json.weightsManifest.flatMap((group) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    group.paths.map((path) => Buffer.from(require(join(dir, `${path}.min.js`)) as string, 'base64')),
  );
  return { modelTopology: json.modelTopology, weights: json.weightsManifest.flatMap((g) => g.weights), data: Buffer.concat(shards) };
}
