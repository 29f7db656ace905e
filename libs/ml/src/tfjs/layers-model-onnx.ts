import { onnx } from 'onnx-proto';
import { floatInitializer, onnxConvFilters, tfConvNode } from '../onnx/tf-conv-onnx';
import type { TfjsWeight } from './tfjs-weights';

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

/** One node input of a Keras layer as tfjs's layers format stores it: [layer name, node index, tensor index, kwargs]. */
type InboundTensor = [string, number, number, Record<string, unknown>];

export interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: InboundTensor[][];
}

interface KerasModelConfig {
  config: { layers: KerasLayer[]; input_layers: [string, number, number][]; output_layers: [string, number, number][] };
}

/** As Keras writes a model (the model config inside model_config) or as tfjs's `model.save` does (the model config itself). */
export type KerasTopology = KerasModelConfig | { model_config: KerasModelConfig };

const ints = (v: unknown, name: string): number[] => {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new Error(`${name}: expected a list of numbers, got ${JSON.stringify(v)}`);
  return v as number[];
};

/**
 * A Keras layers model (as tfjs stores it) rewritten as an ONNX graph for onnxruntime. The input is
 * fed NCHW and a 4-D output comes back NCHW; Flatten reads the channels-last order Keras flattens in,
 * so the dense layers after it see their inputs as trained. Only the layers of convolutional image
 * classifiers are translated (Conv2D, DepthwiseConv2D, BatchNormalization, ReLU with its cap,
 * ZeroPadding2D, Add, average and max pooling, Flatten, Dense with relu/softmax/linear, Dropout as
 * nothing); anything else fails the conversion by name, so a model it cannot carry never loads
 * half-right. onnxruntime folds each BatchNormalization into the convolution before it.
 */
export function layersModelToOnnx(topology: KerasTopology, weights: ReadonlyMap<string, TfjsWeight>, name: string): Uint8Array {
  const graph = ('model_config' in topology ? topology.model_config : topology).config;
  if (!graph?.layers) throw new Error(`${name}: not a Keras layers model (no config.layers)`);
  if (graph.input_layers.length !== 1 || graph.output_layers.length !== 1) throw new Error(`${name}: only models of one input and one output are converted`);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const named = new Set<string>();
  const init = (key: string, dims: number[], data: Float32Array): string => {
    if (!named.has(key)) initializers.push(floatInitializer(key, dims, data));
    named.add(key);
    return key;
  };
  const weight = (layer: KerasLayer, which: string): TfjsWeight => {
    const w = weights.get(`${layer.name}/${which}`);
    if (!w) throw new Error(`${name}: layer ${layer.name} has no weight ${which}`);
    return w;
  };
  const floats = (w: TfjsWeight): Float32Array => (w.values instanceof Float32Array ? w.values : Float32Array.from(w.values));
  const attr = {
    ints: (key: string, values: number[]): onnx.IAttributeProto => ({ name: key, type: AttributeType.INTS, ints: values }),
    int: (key: string, value: number): onnx.IAttributeProto => ({ name: key, type: AttributeType.INT, i: value }),
    float: (key: string, value: number): onnx.IAttributeProto => ({ name: key, type: AttributeType.FLOAT, f: value }),
  };
  const activation = (layer: KerasLayer, input: string): string => {
    const kind = (layer.config.activation as string | undefined) ?? 'linear';
    if (kind === 'linear') return input;
    if (kind !== 'relu' && kind !== 'softmax') throw new Error(`${name}: activation ${kind} (${layer.name}) is not converted`);
    const out = `${layer.name}/${kind}`;
    nodes.push({
      opType: kind === 'relu' ? 'Relu' : 'Softmax',
      name: out,
      input: [input],
      output: [out],
      ...(kind === 'softmax' ? { attribute: [attr.int('axis', -1)] } : {}),
    });
    return out;
  };

  const outputOf = new Map<string, string>();
  let input = '';
  for (const layer of graph.layers) {
    const ins = layer.inbound_nodes.length ? layer.inbound_nodes[0].map(([from]) => outputOf.get(from) ?? '') : [];
    if (layer.inbound_nodes.length > 1) throw new Error(`${name}: layer ${layer.name} is used more than once; shared layers are not converted`);
    if (ins.some((i) => !i)) throw new Error(`${name}: layer ${layer.name} comes before its inputs`);
    const c = layer.config;
    if (c.data_format !== undefined && c.data_format !== 'channels_last') throw new Error(`${name}: ${layer.name} is not channels-last`);
    const out = layer.name;
    switch (layer.class_name) {
      case 'InputLayer':
        input = out;
        outputOf.set(layer.name, out);
        continue;
      case 'Dropout':
        outputOf.set(layer.name, ins[0]);
        continue;
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const depthwise = layer.class_name === 'DepthwiseConv2D';
        if (ints(c.dilation_rate ?? [1, 1], layer.name).some((d) => d !== 1)) throw new Error(`${name}: dilated convolution ${layer.name} is not converted`);
        const [sy, sx] = ints(c.strides, layer.name);
        if (sy !== sx) throw new Error(`${name}: ${layer.name} has unequal strides`);
        const kernel = weight(layer, depthwise ? 'depthwise_kernel' : 'kernel');
        const { dims, data } = onnxConvFilters(kernel.values, kernel.shape, depthwise);
        const inputs = [ins[0], init(`${layer.name}/w`, dims, data)];
        if (c.use_bias === true) inputs.push(init(`${layer.name}/b`, [dims[0]], floats(weight(layer, 'bias'))));
        const conv = `${layer.name}/conv`;
        nodes.push(tfConvNode(conv, inputs, { stride: sy, groups: depthwise ? dims[0] : 1, padding: c.padding === 'same' ? 'SAME' : 'VALID' }));
        outputOf.set(layer.name, activation(layer, conv));
        continue;
      }
      case 'BatchNormalization': {
        const axis = Array.isArray(c.axis) ? (c.axis as unknown[])[0] : c.axis;
        if (axis !== -1 && axis !== 3) throw new Error(`${name}: ${layer.name} normalises axis ${String(axis)}, not the channels`);
        const mean = floats(weight(layer, 'moving_mean'));
        const ones = new Float32Array(mean.length).fill(1);
        const scale = c.scale === false ? ones : floats(weight(layer, 'gamma'));
        const shift = c.center === false ? new Float32Array(mean.length) : floats(weight(layer, 'beta'));
        const params = [
          init(`${layer.name}/scale`, [mean.length], scale),
          init(`${layer.name}/shift`, [mean.length], shift),
          init(`${layer.name}/mean`, [mean.length], mean),
          init(`${layer.name}/variance`, [mean.length], floats(weight(layer, 'moving_variance'))),
        ];
        const epsilon = typeof c.epsilon === 'number' ? c.epsilon : 1e-3;
        nodes.push({ opType: 'BatchNormalization', name: out, input: [ins[0], ...params], output: [out], attribute: [attr.float('epsilon', epsilon)] });
        break;
      }
      case 'ReLU': {
        if ((c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0) throw new Error(`${name}: leaky or thresholded ReLU ${layer.name} is not converted`);
        if (typeof c.max_value === 'number') {
          const bounds = [init('relu/min', [], Float32Array.of(0)), init(`relu/max${c.max_value}`, [], Float32Array.of(c.max_value))];
          nodes.push({ opType: 'Clip', name: out, input: [ins[0], ...bounds], output: [out] });
        } else {
          nodes.push({ opType: 'Relu', name: out, input: [ins[0]], output: [out] });
        }
        break;
      }
      case 'ZeroPadding2D': {
        const [[top, bottom], [left, right]] = (c.padding as [number, number][]).map((p) => ints(p, layer.name));
        const pads = `${layer.name}/pads`;
        initializers.push({ name: pads, dims: [8], dataType: DataType.INT64, int64Data: [0, 0, top, left, 0, 0, bottom, right] });
        nodes.push({ opType: 'Pad', name: out, input: [ins[0], pads], output: [out] });
        break;
      }
      case 'Add':
        nodes.push({ opType: 'Sum', name: out, input: ins, output: [out] });
        break;
      case 'AveragePooling2D':
      case 'MaxPooling2D': {
        if (c.padding !== 'valid') throw new Error(`${name}: pooling ${layer.name} with padding ${String(c.padding)} is not converted`);
        const opType = layer.class_name === 'AveragePooling2D' ? 'AveragePool' : 'MaxPool';
        nodes.push({
          opType,
          name: out,
          input: [ins[0]],
          output: [out],
          attribute: [attr.ints('kernel_shape', ints(c.pool_size, layer.name)), attr.ints('strides', ints(c.strides, layer.name))],
        });
        break;
      }
      case 'Flatten': {
        // Keras flattens height, width, channels in that order: back to NHWC first.
        const nhwc = `${layer.name}/nhwc`;
        nodes.push({ opType: 'Transpose', name: nhwc, input: [ins[0]], output: [nhwc], attribute: [attr.ints('perm', [0, 2, 3, 1])] });
        nodes.push({ opType: 'Flatten', name: out, input: [nhwc], output: [out], attribute: [attr.int('axis', 1)] });
        break;
      }
      case 'Dense': {
        const kernel = weight(layer, 'kernel');
        const inputs = [ins[0], init(`${layer.name}/w`, kernel.shape, floats(kernel))];
        if (c.use_bias !== false) inputs.push(init(`${layer.name}/b`, [kernel.shape[1]], floats(weight(layer, 'bias'))));
        nodes.push({ opType: 'Gemm', name: `${out}/gemm`, input: inputs, output: [`${out}/gemm`] });
        outputOf.set(layer.name, activation(layer, `${out}/gemm`));
        continue;
      }
      default:
        throw new Error(`${name}: layer ${layer.class_name} (${layer.name}) is not converted to ONNX`);
    }
    outputOf.set(layer.name, out);
  }

  const output = outputOf.get(graph.output_layers[0][0]);
  if (!input || !output) throw new Error(`${name}: the model's input or output layer is missing`);
  const tensorInfo = (value: string): onnx.IValueInfoProto => ({ name: value, type: { tensorType: { elemType: DataType.FLOAT } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: `heimdex (Keras layers model ${name})`,
    graph: { name: 'graph', node: nodes, initializer: initializers, input: [tensorInfo(input)], output: [tensorInfo(output)] },
  });
  return onnx.ModelProto.encode(model).finish();
}
