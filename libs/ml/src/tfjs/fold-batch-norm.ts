import type { io } from '@tensorflow/tfjs';
import type { Tfjs } from './tfjs-runtime';

/** One node input of a Keras layer as tfjs's layers format stores it: [layer name, node index, tensor index, kwargs]. */
type InboundTensor = [string, number, number, Record<string, unknown>];

interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: InboundTensor[][];
}

interface KerasModelConfig {
  class_name: string;
  config: { layers: KerasLayer[]; output_layers: [string, number, number][] };
}

/** As Keras writes a model (the model config inside model_config) or as tfjs's `model.save` does (the model config itself). */
type KerasTopology = KerasModelConfig | { model_config: KerasModelConfig };

/** A layers model (Keras JSON) in memory, as `tf.io.fromMemory` takes it. */
export interface LayersModelArtifacts {
  modelTopology: object;
  weightSpecs: io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/** As `model.save` hands a layers model to a save handler. */
interface StoredLayersModel {
  modelTopology?: object | ArrayBuffer;
  weightSpecs?: io.WeightsManifestEntry[];
  weightData?: io.WeightData;
}

const KERNEL: Readonly<Record<string, string>> = { Conv2D: 'kernel', DepthwiseConv2D: 'depthwise_kernel' };

/**
 * A Keras layers model with every BatchNormalization that directly follows a linear convolution
 * (Conv2D or DepthwiseConv2D, whose output goes nowhere else) folded into it: the convolution's kernel
 * is scaled per output channel by gamma / sqrt(variance + epsilon) and it gains the matching bias, and
 * the BatchNormalization layer is gone. Inference computes the same function, minus one full pass over
 * each such activation. Weights come back as plain float32 (quantized ones are dequantized first).
 * `folded` counts the BatchNormalization layers removed.
 */
export function foldBatchNorm(tf: Tfjs, model: LayersModelArtifacts | StoredLayersModel): LayersModelArtifacts & { folded: number } {
  const topology = JSON.parse(JSON.stringify(model.modelTopology ?? null)) as KerasTopology | null;
  const graph = topology && ('model_config' in topology ? topology.model_config : topology).config;
  if (!topology || !graph?.layers) throw new Error('foldBatchNorm takes a Keras layers model (model_config.config.layers)');
  const weights = readWeights(tf, model);
  const byName = new Map(graph.layers.map((l) => [l.name, l]));
  const consumers = new Map<string, number>();
  const count = (name: string) => consumers.set(name, (consumers.get(name) ?? 0) + 1);
  for (const layer of graph.layers) for (const node of layer.inbound_nodes) for (const [from] of node) count(from);
  for (const [from] of graph.output_layers) count(from);

  const renamed = new Map<string, string>();
  for (const bn of graph.layers) {
    if (bn.class_name !== 'BatchNormalization' || bn.inbound_nodes.length !== 1 || bn.inbound_nodes[0].length !== 1) continue;
    const conv = byName.get(bn.inbound_nodes[0][0][0]);
    if (!conv || !KERNEL[conv.class_name] || consumers.get(conv.name) !== 1 || conv.inbound_nodes.length !== 1) continue;
    if ((conv.config.activation ?? 'linear') !== 'linear' || !isChannelsLast(bn, conv)) continue;
    foldInto(conv, bn, weights);
    renamed.set(bn.name, conv.name);
  }
  graph.layers = graph.layers.filter((l) => !renamed.has(l.name));
  for (const layer of graph.layers) for (const node of layer.inbound_nodes) for (const input of node) input[0] = renamed.get(input[0]) ?? input[0];
  for (const output of graph.output_layers) output[0] = renamed.get(output[0]) ?? output[0];
  return { modelTopology: topology, ...writeWeights(weights), folded: renamed.size };
}

interface Weight {
  shape: number[];
  values: Float32Array;
}

function readWeights(tf: Tfjs, model: StoredLayersModel): Map<string, Weight> {
  if (!model.weightData || !model.weightSpecs) throw new Error('foldBatchNorm needs the model with its weights');
  const tensors = tf.io.decodeWeights(model.weightData, model.weightSpecs);
  const out = new Map<string, Weight>();
  for (const spec of model.weightSpecs) {
    const t = tensors[spec.name];
    out.set(spec.name, { shape: spec.shape, values: Float32Array.from(t.dataSync()) });
    t.dispose();
  }
  return out;
}

function writeWeights(weights: Map<string, Weight>): Pick<LayersModelArtifacts, 'weightSpecs' | 'weightData'> {
  const weightSpecs: io.WeightsManifestEntry[] = [];
  const data = new Float32Array([...weights.values()].reduce((n, w) => n + w.values.length, 0));
  let offset = 0;
  for (const [name, w] of weights) {
    weightSpecs.push({ name, shape: w.shape, dtype: 'float32' });
    data.set(w.values, offset);
    offset += w.values.length;
  }
  return { weightSpecs, weightData: data.buffer };
}

function isChannelsLast(bn: KerasLayer, conv: KerasLayer): boolean {
  const axis = bn.config.axis;
  const bnAxis = Array.isArray(axis) && axis.length === 1 ? (axis[0] as unknown) : axis;
  return (bnAxis === -1 || bnAxis === 3) && (conv.config.data_format ?? 'channels_last') === 'channels_last';
}

function foldInto(conv: KerasLayer, bn: KerasLayer, weights: Map<string, Weight>): void {
  const take = (name: string): Float32Array | null => {
    const w = weights.get(name);
    weights.delete(name);
    return w?.values ?? null;
  };
  const need = (name: string): Float32Array => {
    const w = take(name);
    if (!w) throw new Error(`foldBatchNorm: weight ${name} is missing`);
    return w;
  };
  const kernel = weights.get(`${conv.name}/${KERNEL[conv.class_name]}`);
  if (!kernel) throw new Error(`foldBatchNorm: weight ${conv.name}/${KERNEL[conv.class_name]} is missing`);
  // Channels last: the output channel is the fastest-varying index of a Conv2D kernel (h, w, in, out) and,
  // as in * multiplier + m, of a DepthwiseConv2D one (h, w, in, multiplier).
  const channels = conv.class_name === 'Conv2D' ? kernel.shape[3] : kernel.shape[2] * kernel.shape[3];
  const mean = need(`${bn.name}/moving_mean`);
  const variance = need(`${bn.name}/moving_variance`);
  const gamma = bn.config.scale === false ? null : need(`${bn.name}/gamma`);
  const beta = bn.config.center === false ? null : need(`${bn.name}/beta`);
  const epsilon = typeof bn.config.epsilon === 'number' ? bn.config.epsilon : 1e-3;
  const bias = conv.config.use_bias === true ? need(`${conv.name}/bias`) : new Float32Array(channels);
  if (mean.length !== channels) throw new Error(`foldBatchNorm: ${bn.name} has ${mean.length} channels, ${conv.name} ${channels}`);

  const scale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + epsilon);
    bias[c] = (bias[c] - mean[c]) * scale[c] + (beta ? beta[c] : 0);
  }
  for (let i = 0; i < kernel.values.length; i++) kernel.values[i] *= scale[i % channels];
  weights.set(`${conv.name}/bias`, { shape: [channels], values: bias });
  conv.config = { ...conv.config, use_bias: true };
}
