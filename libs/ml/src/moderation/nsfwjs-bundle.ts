import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import type { LayersModelArtifacts } from '../tfjs/fold-batch-norm';

/** nsfwjs's dist folder; the package's exports leave out everything but its entries, so it is found from the CommonJS entry (dist/cjs). */
function nsfwjsDist(): string {
  return join(dirname(require.resolve('nsfwjs')), '..');
}

export function nsfwjsVersion(): string {
  return (JSON.parse(readFileSync(join(nsfwjsDist(), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

interface LayersModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

/**
 * The MobileNetV2 bundled in nsfwjs (model.min.js: the model JSON; one shard .min.js per weight file,
 * each exporting its bytes as one base64 string), read into memory. nsfwjs's own loader
 * imports each shard with TypeScript's __importStar, which copies the string's every index into an
 * object: 3.5 million properties, ~700 MB of peak RSS and tens of seconds for one load.
 */
export function nsfwjsMobileNetV2(): LayersModelArtifacts {
  const dir = join(nsfwjsDist(), 'models', 'mobilenet_v2');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundles are UMD modules of data, named by path
  const json = require(join(dir, 'model.min.js')) as LayersModelJson;
  const shards = json.weightsManifest.flatMap((group) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    group.paths.map((path) => Buffer.from(require(join(dir, `${path}.min.js`)) as string, 'base64')),
  );
  const weights = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  };
}
