import { onnx } from 'onnx-proto';
import { floatInitializer } from './tf-conv-onnx';

const { AttributeType } = onnx.AttributeProto;

/** How many of each rewrite foldAffineBlocks made. */
export interface AffineFolds {
  /** Conv → Mul(scalar) → Add(scalar), folded into the convolution's weights and bias. */
  afterConv: number;
  /** Mul(scalar) → Add(scalar) → 1x1 Conv, folded into that convolution. */
  beforePointwise: number;
  /** x * Clip(x + 3, 0, 6) / 6 as HardSigmoid(x) * x: two passes over the tensor instead of four. */
  hardSwish: number;
}

interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

/**
 * Rewrites a PaddlePaddle export (paddle2onnx) into the same function with fewer passes over
 * its activations. PP-LCNetV3, the backbone of PP-OCRv4's detector and recogniser, follows each
 * convolution and each hard-swish with a learnable scalar scale and shift, and paddle2onnx writes
 * hard-swish as four element-wise ops; ONNX Runtime fuses none of it (its Conv-Mul fusion wants
 * the constant second), so a third of the detector's time went to element-wise passes and layout
 * reorders between them. The results differ only by float rounding. Only exact rewrites are made:
 * a scale and shift before a padded convolution stays, as the padding would see the shift.
 */
export function foldAffineBlocks(bytes: Uint8Array): { bytes: Uint8Array; folds: AffineFolds } {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  if (!graph) throw new Error('the model has no graph');
  const constants = new Map<string, FloatTensor>();
  for (const t of graph.initializer ?? []) addFloat(constants, t);
  for (const node of graph.node ?? []) {
    const value = node.opType === 'Constant' ? node.attribute?.find((a) => a.name === 'value')?.t : undefined;
    if (value) addFloat(constants, { ...value, name: node.output?.[0] });
  }
  const added: onnx.ITensorProto[] = [];
  const folder = new Folder(graph.node ?? [], constants, graph.output?.map((o) => o.name ?? '') ?? [], (name, tensor) => {
    constants.set(name, tensor);
    added.push(floatInitializer(name, tensor.dims, tensor.data));
  });
  const folds = { afterConv: folder.afterConv(), hardSwish: folder.hardSwish(), beforePointwise: folder.beforePointwise() };
  const used = new Set(folder.nodes.flatMap((n) => n.input ?? []));
  graph.node = folder.nodes.filter((n) => n.opType !== 'Constant' || (n.output ?? []).some((o) => used.has(o)));
  graph.initializer = [...(graph.initializer ?? []), ...added].filter((t) => used.has(t.name ?? ''));
  return { bytes: onnx.ModelProto.encode(model).finish(), folds };
}

class Folder {
  constructor(
    public nodes: onnx.INodeProto[],
    private readonly constants: ReadonlyMap<string, FloatTensor>,
    private readonly graphOutputs: readonly string[],
    private readonly addConstant: (name: string, tensor: FloatTensor) => void,
  ) {}

  afterConv(): number {
    const readers = this.readers();
    const dropped = new Set<onnx.INodeProto>();
    for (const conv of this.nodes) {
      const weights = conv.opType === 'Conv' ? this.weights(conv) : null;
      const mul = weights ? this.soleReader(readers, conv.output?.[0], 'Mul') : null;
      const scale = mul ? this.scalarOperand(mul, conv.output?.[0]) : null;
      const add = mul && scale !== null ? this.soleReader(readers, mul.output?.[0], 'Add') : null;
      const shift = add ? this.scalarOperand(add, mul?.output?.[0]) : null;
      if (!weights || !mul || !add || scale === null || shift === null) continue;
      const bias = this.bias(conv, weights.dims[0]);
      const name = `${conv.name ?? conv.output?.[0]}.affine_after`;
      this.addConstant(`${name}.w`, { dims: weights.dims, data: weights.data.map((w) => w * scale) });
      this.addConstant(`${name}.b`, { dims: [bias.length], data: bias.map((b) => b * scale + shift) });
      conv.input = [conv.input?.[0] ?? '', `${name}.w`, `${name}.b`];
      conv.output = [add.output?.[0] ?? ''];
      dropped.add(mul).add(add);
    }
    this.nodes = this.nodes.filter((n) => !dropped.has(n));
    return dropped.size / 2;
  }

  hardSwish(): number {
    const readers = this.readers();
    const replaced = new Map<onnx.INodeProto, onnx.INodeProto[]>();
    const dropped = new Set<onnx.INodeProto>();
    for (const add of this.nodes) {
      if (add.opType !== 'Add') continue;
      const x = (add.input ?? []).find((i) => !this.constants.has(i));
      if (x === undefined || this.scalarOperand(add, x) !== 3) continue;
      const clip = this.soleReader(readers, add.output?.[0], 'Clip');
      if (!clip || !this.clipsTo(clip, 0, 6)) continue;
      const mul = this.soleReader(readers, clip.output?.[0], 'Mul');
      if (!mul || this.otherOperand(mul, clip.output?.[0]) !== x) continue;
      const div = this.soleReader(readers, mul.output?.[0], 'Div');
      if (!div || div.input?.[0] !== mul.output?.[0] || this.scalar(div.input?.[1]) !== 6) continue;
      const out = div.output?.[0] ?? '';
      replaced.set(div, [
        {
          opType: 'HardSigmoid',
          name: `${div.name ?? out}.hard_sigmoid`,
          input: [x],
          output: [`${out}.gate`],
          attribute: [
            { name: 'alpha', type: AttributeType.FLOAT, f: 1 / 6 },
            { name: 'beta', type: AttributeType.FLOAT, f: 0.5 },
          ],
        },
        { opType: 'Mul', name: `${div.name ?? out}.hard_swish`, input: [x, `${out}.gate`], output: [out] },
      ]);
      dropped.add(add).add(clip).add(mul);
    }
    this.nodes = this.nodes.filter((n) => !dropped.has(n)).flatMap((n) => replaced.get(n) ?? [n]);
    return replaced.size;
  }

  beforePointwise(): number {
    const readers = this.readers();
    const dropped = new Set<onnx.INodeProto>();
    for (const mul of this.nodes) {
      if (mul.opType !== 'Mul') continue;
      const x = (mul.input ?? []).find((i) => !this.constants.has(i));
      const scale = x === undefined ? null : this.scalarOperand(mul, x);
      const add = scale !== null ? this.soleReader(readers, mul.output?.[0], 'Add') : null;
      const shift = add ? this.scalarOperand(add, mul.output?.[0]) : null;
      const conv = add && shift !== null ? this.soleReader(readers, add.output?.[0], 'Conv') : null;
      const weights = conv ? this.pointwiseWeights(conv) : null;
      if (x === undefined || scale === null || shift === null || !add || !conv || !weights) continue;
      const [outChannels] = weights.dims;
      const perOut = weights.data.length / outChannels;
      const bias = this.bias(conv, outChannels).map((b, o) => {
        let sum = 0;
        for (let k = o * perOut; k < (o + 1) * perOut; k++) sum += weights.data[k];
        return b + shift * sum;
      });
      const name = `${conv.name ?? conv.output?.[0]}.affine_before`;
      this.addConstant(`${name}.w`, { dims: weights.dims, data: weights.data.map((w) => w * scale) });
      this.addConstant(`${name}.b`, { dims: [outChannels], data: bias });
      conv.input = [x, `${name}.w`, `${name}.b`];
      dropped.add(mul).add(add);
    }
    this.nodes = this.nodes.filter((n) => !dropped.has(n));
    return dropped.size / 2;
  }

  /** Who reads each value; a graph output counts as a reader no rewrite may remove. */
  private readers(): Map<string, (onnx.INodeProto | null)[]> {
    const readers = new Map<string, (onnx.INodeProto | null)[]>();
    const read = (name: string, by: onnx.INodeProto | null) => {
      const list = readers.get(name);
      if (list) list.push(by);
      else readers.set(name, [by]);
    };
    for (const node of this.nodes) for (const input of node.input ?? []) read(input, node);
    for (const output of this.graphOutputs) read(output, null);
    return readers;
  }

  private soleReader(readers: Map<string, (onnx.INodeProto | null)[]>, value: string | undefined, opType: string): onnx.INodeProto | null {
    const [only, ...more] = readers.get(value ?? '') ?? [];
    return only && !more.length && only.opType === opType ? only : null;
  }

  private otherOperand(node: onnx.INodeProto, value: string | undefined): string | undefined {
    const inputs = node.input ?? [];
    if (inputs.length !== 2 || !inputs.includes(value ?? '')) return undefined;
    return inputs[0] === value ? inputs[1] : inputs[0];
  }

  private scalarOperand(node: onnx.INodeProto, value: string | undefined): number | null {
    return this.scalar(this.otherOperand(node, value));
  }

  private scalar(name: string | undefined): number | null {
    const t = name === undefined ? undefined : this.constants.get(name);
    return t && t.data.length === 1 ? t.data[0] : null;
  }

  /** Clip's bounds: inputs from opset 11, attributes before. */
  private clipsTo(clip: onnx.INodeProto, min: number, max: number): boolean {
    const inputs = clip.input ?? [];
    if (inputs.length === 3) return this.scalar(inputs[1]) === min && this.scalar(inputs[2]) === max;
    const attr = (name: string) => clip.attribute?.find((a) => a.name === name)?.f;
    return inputs.length === 1 && attr('min') === min && attr('max') === max;
  }

  private weights(conv: onnx.INodeProto): FloatTensor | null {
    const w = this.constants.get(conv.input?.[1] ?? '');
    const biased = (conv.input?.length ?? 0) < 3 || this.constants.has(conv.input?.[2] ?? '');
    return w && w.dims.length === 4 && biased ? w : null;
  }

  /** A 1x1 convolution without padding: a shift of its input is then a shift of its bias, at every pixel. */
  private pointwiseWeights(conv: onnx.INodeProto): FloatTensor | null {
    const w = this.weights(conv);
    if (!w || w.dims[2] !== 1 || w.dims[3] !== 1) return null;
    const attr = (name: string) => conv.attribute?.find((a) => a.name === name);
    const pads = attr('pads')?.ints ?? [];
    const autoPad = new TextDecoder().decode(attr('auto_pad')?.s ?? new Uint8Array());
    return pads.every((p) => toNumber(p) === 0) && ['', 'NOTSET', 'VALID'].includes(autoPad) ? w : null;
  }

  private bias(conv: onnx.INodeProto, outChannels: number): Float32Array {
    const b = this.constants.get(conv.input?.[2] ?? '');
    return b ? b.data : new Float32Array(outChannels);
  }
}

function addFloat(constants: Map<string, FloatTensor>, t: onnx.ITensorProto): void {
  if (!t.name || t.dataType !== onnx.TensorProto.DataType.FLOAT) return;
  const dims = (t.dims ?? []).map(toNumber);
  const raw = t.rawData?.length ? t.rawData : null;
  if (raw && raw.length % 4) return;
  // Copied into a buffer of its own: the decoded bytes are a view into the model's, at any alignment.
  const data = raw ? new Float32Array(new Uint8Array(raw).buffer) : Float32Array.from(t.floatData ?? []);
  if (data.length !== dims.reduce((n, d) => n * d, 1)) return;
  constants.set(t.name, { dims, data });
}

/** protobufjs decodes int64 as a Long where the long package is installed. */
function toNumber(v: number | { toNumber(): number }): number {
  return typeof v === 'number' ? v : v.toNumber();
}
