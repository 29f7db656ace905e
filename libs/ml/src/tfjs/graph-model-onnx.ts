import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { onnx } from 'onnx-proto';
import { floatInitializer, onnxConvFilters, tfConvNode } from '../onnx/tf-conv-onnx';
import { readTfjsWeights, TfjsWeight, TfjsWeightGroup } from './tfjs-weights';

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

interface AttrValue {
  s?: string;
  i?: string;
  b?: boolean;
  list?: { s?: string[]; i?: string[] };
}

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

interface ModelJson {
  modelTopology: { node: GraphNode[] };
  weightsManifest: TfjsWeightGroup[];
}

const text = (v: AttrValue | undefined): string => (v?.s ? Buffer.from(v.s, 'base64').toString() : '');
const texts = (v: AttrValue | undefined): string[] => (v?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString());
const ints = (v: AttrValue | undefined): number[] => (v?.list?.i ?? []).map(Number);
/** NHWC axis to NCHW. */
const NCHW_AXIS = [0, 2, 3, 1];

/**
 * A tfjs graph model (a TensorFlow GraphDef as converted for tfjs) rewritten as an ONNX graph for
 * onnxruntime, from its input placeholder up to the named outputs. NHWC becomes NCHW (the input
 * is fed NCHW, outputs come back NCHW). Only the operations convolutional vision backbones use
 * are translated (convolutions with their fused bias and activations, element-wise arithmetic with
 * scalars, ReLU/ReLU6/sigmoid, spatial means, 2x bilinear upsampling, channel concatenation);
 * anything else fails the conversion by name, so a model it cannot carry never loads half-right.
 */
export async function graphModelToOnnx(
  jsonPath: string,
  outputs: readonly string[],
  alsoRead: readonly string[] = [],
): Promise<{ model: Uint8Array; constants: number[][] }> {
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  const constants = await readTfjsWeights(dirname(jsonPath), json.weightsManifest);
  const byName = new Map(json.modelTopology.node.map((n) => [n.name, n]));
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const done = new Set<string>();
  let input = '';

  const floatInit = (name: string, dims: number[], data: Float32Array): string => {
    initializers.push(floatInitializer(name, dims, data));
    return name;
  };
  const constant = (name: string): TfjsWeight => {
    const c = constants.get(name);
    if (!c) throw new Error(`${jsonPath}: no weight ${name}`);
    return c;
  };
  const scalarOperand = (name: string): string => {
    const c = constant(name);
    if (c.values.length !== 1) throw new Error(`${jsonPath}: ${name} is not a scalar (${c.shape.join('x')}); only scalar operands are converted`);
    return done.has(name) ? name : (done.add(name), floatInit(name, [], Float32Array.from(c.values)));
  };
  const conv = (n: GraphNode, depthwise: boolean, withBias: boolean): void => {
    const [x, filterName, biasName] = n.input!;
    const f = constant(filterName);
    const fused = texts(n.attr?.fused_ops);
    if (fused.some((op) => op !== 'BiasAdd' && op !== 'Relu' && op !== 'Relu6')) throw new Error(`${n.name}: fused ${fused.join('+')} is not converted`);
    if (ints(n.attr?.dilations).some((d) => d !== 1)) throw new Error(`${n.name}: dilated convolutions are not converted`);
    const { dims, data } = onnxConvFilters(f.values, f.shape, depthwise);
    const inputs = [ref(x), floatInit(`${n.name}/w`, dims, data)];
    if (withBias) inputs.push(floatInit(`${n.name}/b`, [dims[0]], Float32Array.from(constant(biasName).values)));
    const activation = fused.find((op) => op === 'Relu' || op === 'Relu6');
    const convOut = activation ? `${n.name}/conv` : n.name;
    const padding = text(n.attr?.padding) === 'SAME' ? 'SAME' : 'VALID';
    nodes.push(tfConvNode(convOut, inputs, { stride: ints(n.attr?.strides)[1] ?? 1, groups: depthwise ? dims[0] : 1, padding }));
    if (activation === 'Relu') nodes.push({ opType: 'Relu', name: n.name, input: [convOut], output: [n.name] });
    if (activation === 'Relu6') nodes.push({ opType: 'Clip', name: n.name, input: [convOut, relu6Bound('min'), relu6Bound('max')], output: [n.name] });
  };
  const relu6Bound = (which: 'min' | 'max'): string => {
    const name = `relu6/${which}`;
    if (!done.has(name)) {
      done.add(name);
      floatInit(name, [], Float32Array.of(which === 'min' ? 0 : 6));
    }
    return name;
  };

  /** Converts the node producing `name` (and everything it needs) once; returns the ONNX value name. */
  function ref(name: string): string {
    const nodeName = name.replace(/:0$/, '');
    if (done.has(nodeName)) return nodeName;
    const n = byName.get(nodeName);
    if (!n) throw new Error(`${jsonPath}: no node ${nodeName}`);
    done.add(nodeName);
    const ins = n.input ?? [];
    const isConst = (i: string) => byName.get(i)?.op === 'Const';
    switch (n.op) {
      case 'Placeholder':
        input = n.name;
        break;
      case '_FusedConv2D':
        conv(n, false, true);
        break;
      case 'FusedDepthwiseConv2dNative':
        conv(n, true, true);
        break;
      case 'Conv2D':
        conv(n, false, false);
        break;
      case 'DepthwiseConv2dNative':
        conv(n, true, false);
        break;
      case 'Mul':
      case 'Add':
      case 'Sub':
        nodes.push({ opType: n.op, name: n.name, input: ins.map((i) => (isConst(i) ? scalarOperand(i) : ref(i))), output: [n.name] });
        break;
      case 'Relu':
      case 'Sigmoid':
      case 'Identity':
        nodes.push({ opType: n.op, name: n.name, input: [ref(ins[0])], output: [n.name] });
        break;
      case 'Relu6':
        nodes.push({ opType: 'Clip', name: n.name, input: [ref(ins[0]), relu6Bound('min'), relu6Bound('max')], output: [n.name] });
        break;
      case 'Mean': {
        const axes = Array.from(constant(ins[1]).values);
        if (axes.join() !== '1,2' || !n.attr?.keep_dims?.b) throw new Error(`${n.name}: only a kept spatial mean is converted`);
        nodes.push({
          opType: 'ReduceMean',
          name: n.name,
          input: [ref(ins[0])],
          output: [n.name],
          attribute: [
            { name: 'axes', type: AttributeType.INTS, ints: [2, 3] },
            { name: 'keepdims', type: AttributeType.INT, i: 1 },
          ],
        });
        break;
      }
      case 'ResizeBilinear': {
        // TensorFlow's legacy resize (neither aligned corners nor half-pixel centres) is ONNX's "asymmetric";
        // the scale comes from the graph's own sizes, each twice its input's (checked when the model is compared with tfjs).
        if (n.attr?.align_corners?.b || n.attr?.half_pixel_centers?.b) throw new Error(`${n.name}: only legacy bilinear resizing is converted`);
        const scales = floatInit(`${n.name}/scales`, [4], Float32Array.of(1, 1, 2, 2));
        const roi = floatInit(`${n.name}/roi`, [0], new Float32Array(0));
        nodes.push({
          opType: 'Resize',
          name: n.name,
          input: [ref(ins[0]), roi, scales],
          output: [n.name],
          attribute: [
            { name: 'mode', type: AttributeType.STRING, s: new TextEncoder().encode('linear') },
            { name: 'coordinate_transformation_mode', type: AttributeType.STRING, s: new TextEncoder().encode('asymmetric') },
          ],
        });
        break;
      }
      case 'ConcatV2': {
        const axis = Number(constant(ins[ins.length - 1]).values[0]);
        nodes.push({
          opType: 'Concat',
          name: n.name,
          input: ins.slice(0, -1).map(ref),
          output: [n.name],
          attribute: [{ name: 'axis', type: AttributeType.INT, i: NCHW_AXIS[(axis + 4) % 4] }],
        });
        break;
      }
      default:
        throw new Error(`${jsonPath}: operation ${n.op} (${n.name}) is not converted to ONNX`);
    }
    return nodeName;
  }

  const outs = outputs.map(ref);
  const tensorInfo = (name: string): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: DataType.FLOAT } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: `heimdex (tfjs graph ${jsonPath})`,
    graph: { name: 'graph', node: nodes, initializer: initializers, input: [tensorInfo(input)], output: outs.map(tensorInfo) },
  });
  // `alsoRead`: constants the caller's own post-processing needs (e.g. the graph's strides), from the same read.
  return { model: onnx.ModelProto.encode(model).finish(), constants: alsoRead.map((name) => Array.from(constant(name).values)) };
}
