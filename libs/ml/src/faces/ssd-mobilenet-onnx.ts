import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { floatInitializer, onnxConvFilters, tfConvNode } from '../onnx/tf-conv-onnx';
import { readTfjsWeights, TfjsWeightGroup } from '../tfjs/tfjs-weights';

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

interface Weight {
  shape: number[];
  data: Float32Array;
}

/** face-api's SSD MobileNet v1 weights by their TensorFlow names (the graph's int32 shape constants left out). */
async function readWeights(modelDir: string): Promise<Map<string, Weight>> {
  const manifest = JSON.parse(await readFile(join(modelDir, 'ssd_mobilenetv1_model-weights_manifest.json'), 'utf8')) as TfjsWeightGroup[];
  const out = new Map<string, Weight>();
  for (const [name, w] of await readTfjsWeights(modelDir, manifest)) if (w.values instanceof Float32Array) out.set(name, { shape: w.shape, data: w.values });
  return out;
}

/** The SSD graph as ONNX (NCHW input `image`, -1..1) and its 5118 anchors (ymin, xmin, ymax, xmax, 0..1). */
export interface SsdOnnx {
  model: Uint8Array;
  anchors: Float32Array;
}

/** face-api's batch-norm epsilon (mobileNetV1.ts). */
const BN_EPSILON = 0.0010000000474974513;
/** Depthwise layers of MobileNet v1 that halve the picture (face-api's getStridesForLayerIdx). */
const STRIDE_2_LAYERS = new Set([2, 4, 6, 12]);

/**
 * face-api's SSD MobileNet v1 face detector (ssdMobilenetv1/*.ts in the package) rebuilt as an
 * ONNX graph from the same weight files, so onnxruntime runs it instead of tfjs's single-threaded
 * WASM. Layer for layer as face-api: MobileNet v1 (depthwise batch norm folded into the
 * convolution), the prediction layer's extra convolutions, and six box predictors, whose box
 * encodings and class logits come out concatenated per anchor in face-api's order; decoding and
 * non-maximum suppression stay in ssd-face-detector.ts.
 */
export async function buildSsdMobilenetOnnx(modelDir: string): Promise<SsdOnnx> {
  const weights = await readWeights(modelDir);
  const take = (name: string): Weight => {
    const w = weights.get(name);
    if (!w) throw new Error(`SSD weights in ${modelDir} lack ${name}`);
    return w;
  };
  const initializers: onnx.ITensorProto[] = [];
  const nodes: onnx.INodeProto[] = [];
  const tensor = (name: string, dims: number[], data: Float32Array) => {
    initializers.push(floatInitializer(name, dims, data));
    return name;
  };
  const clip = (input: string, output: string) => {
    nodes.push({ opType: 'Clip', input: [input, 'zero', 'six'], output: [output], name: `${output}_clip` });
    return output;
  };
  /** A TensorFlow 'same' convolution with its bias. */
  const conv = (input: string, name: string, filters: Weight, bias: Float32Array, stride: number, depthwise = false): string => {
    const { dims, data } = onnxConvFilters(filters.data, filters.shape, depthwise);
    const w = tensor(`${name}/w`, dims, data);
    const b = tensor(`${name}/b`, [dims[0]], bias);
    nodes.push(tfConvNode(name, [input, w, b], { stride, groups: depthwise ? dims[0] : 1, padding: 'SAME' }));
    return name;
  };
  const pointwise = (input: string, prefix: string, stride: number) =>
    clip(conv(input, `${prefix}/conv`, take(`${prefix}/weights`), take(`${prefix}/convolution_bn_offset`).data, stride), prefix);
  const depthwise = (input: string, prefix: string, stride: number) => {
    const filters = take(`${prefix}/depthwise_weights`);
    const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((k) => take(`${prefix}/BatchNorm/${k}`).data);
    const channels = gamma.length;
    const folded = new Float32Array(filters.data.length);
    for (let k = 0; k < folded.length; k++) folded[k] = filters.data[k] * (gamma[k % channels] / Math.sqrt(variance[k % channels] + BN_EPSILON));
    const bias = gamma.map((g, c) => beta[c] - (mean[c] * g) / Math.sqrt(variance[c] + BN_EPSILON));
    return clip(conv(input, `${prefix}/conv`, { shape: filters.shape, data: folded }, bias, stride, true), prefix);
  };

  tensor('zero', [], Float32Array.of(0));
  tensor('six', [], Float32Array.of(6));
  let x = pointwise('image', 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11 = '';
  for (let i = 1; i <= 13; i++) {
    x = depthwise(x, `MobilenetV1/Conv2d_${i}_depthwise`, STRIDE_2_LAYERS.has(i) ? 2 : 1);
    x = pointwise(x, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
    if (i === 11) conv11 = x;
  }
  const extra: string[] = [];
  let p = x;
  for (let i = 0; i < 8; i++) {
    p = pointwise(p, `Prediction/Conv2d_${i}_pointwise`, i % 2 ? 2 : 1);
    extra.push(p);
  }
  const sources = [conv11, x, extra[1], extra[3], extra[5], extra[7]];
  initializers.push({ name: 'box_shape', dims: [3], dataType: DataType.INT64, int64Data: [1, -1, 4] });
  initializers.push({ name: 'class_shape', dims: [3], dataType: DataType.INT64, int64Data: [1, -1, 3] });
  const heads = { boxes: [] as string[], classes: [] as string[] };
  for (const [i, source] of sources.entries()) {
    for (const [kind, weightName, shape] of [
      ['boxes', 'BoxEncodingPredictor', 'box_shape'],
      ['classes', 'ClassPredictor', 'class_shape'],
    ] as const) {
      const prefix = `Prediction/BoxPredictor_${i}/${weightName}`;
      const out = conv(source, prefix, take(`${prefix}/weights`), take(`${prefix}/biases`).data, 1);
      nodes.push({
        opType: 'Transpose',
        input: [out],
        output: [`${prefix}/nhwc`],
        name: `${prefix}/nhwc`,
        attribute: [{ name: 'perm', type: AttributeType.INTS, ints: [0, 2, 3, 1] }],
      });
      nodes.push({ opType: 'Reshape', input: [`${prefix}/nhwc`, shape], output: [`${prefix}/flat`], name: `${prefix}/flat` });
      heads[kind].push(`${prefix}/flat`);
    }
  }
  for (const kind of ['boxes', 'classes'] as const) {
    nodes.push({ opType: 'Concat', input: heads[kind], output: [kind], name: kind, attribute: [{ name: 'axis', type: AttributeType.INT, i: 1 }] });
  }
  const valueInfo = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'heimdex (face-api ssd_mobilenetv1 weights)',
    graph: {
      name: 'ssd_mobilenetv1',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('image', [1, 3, 'height', 'width'])],
      output: [valueInfo('boxes', [1, 'anchors', 4]), valueInfo('classes', [1, 'anchors', 3])],
    },
  });
  return { model: onnx.ModelProto.encode(model).finish(), anchors: take('Output/extra_dim').data };
}
