import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GraphModel, io } from '@tensorflow/tfjs';
import type { Tfjs } from '../../libs/ml/src/tfjs/tfjs-runtime';

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

/** A tfjs graph model (`model.json` + its weight shards) read from disk, as tfjs runs it (to compare the ONNX rewrite with): tfjs has no file:// loader without tfjs-node. */
export async function loadGraphModelFromDisk(tf: Tfjs, jsonPath: string): Promise<GraphModel> {
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  const shards: Buffer[] = [];
  for (const group of json.weightsManifest) for (const path of group.paths) shards.push(await readFile(join(dirname(jsonPath), path)));
  const weights = Buffer.concat(shards);
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}
