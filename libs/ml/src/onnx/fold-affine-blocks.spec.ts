import { onnx } from 'onnx-proto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { foldAffineBlocks } from './fold-affine-blocks';
import { floatInitializer } from './tf-conv-onnx';

const { AttributeType } = onnx.AttributeProto;
const C = 4;
const SIZE = 8;

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

const scalar = (name: string, v: number) => floatInitializer(name, [], Float32Array.of(v));
const conv = (name: string, input: string, k: number, output = name): onnx.INodeProto => ({
  opType: 'Conv',
  name,
  input: [input, `${name}.w`, `${name}.b`],
  output: [output],
  attribute: k === 3 ? [{ name: 'pads', type: AttributeType.INTS, ints: [1, 1, 1, 1] }] : [],
});
const op = (opType: string, input: string[], output: string): onnx.INodeProto => ({ opType, name: output, input, output: [output] });

/**
 * A PP-LCNetV3 block as paddle2onnx writes it, then two scale-and-shift blocks: one before a 1x1
 * convolution (foldable) and one before a padded 3x3 one (not: the padding would see the shift).
 */
function lcnetBlock(clipBounds: 'inputs' | 'attributes'): Uint8Array {
  const clip: onnx.INodeProto =
    clipBounds === 'inputs'
      ? op('Clip', ['t3', 'zero', 'six'], 'clipped')
      : {
          ...op('Clip', ['t3'], 'clipped'),
          attribute: [
            { name: 'min', type: AttributeType.FLOAT, f: 0 },
            { name: 'max', type: AttributeType.FLOAT, f: 6 },
          ],
        };
  const nodes = [
    conv('a', 'x', 3),
    op('Mul', ['a.scale', 'a'], 'a.scaled'), // the constant first, as paddle2onnx writes it
    op('Add', ['a.scaled', 'a.shift'], 't'),
    op('Add', ['t', 'three'], 't3'),
    clip,
    op('Mul', ['t', 'clipped'], 'tc'),
    op('Div', ['tc', 'six'], 'h'),
    op('Mul', ['p.scale', 'h'], 'p.scaled'),
    op('Add', ['p.scaled', 'p.shift'], 'p.in'),
    conv('p', 'p.in', 1, 'pointwise'),
    op('Mul', ['h', 'q.scale'], 'q.scaled'),
    op('Add', ['q.scaled', 'q.shift'], 'q.in'),
    conv('q', 'q.in', 3, 'padded'),
  ];
  const weights = (name: string, k: number, seed: number) => [
    floatInitializer(`${name}.w`, [C, C, k, k], values(C * C * k * k, seed)),
    floatInitializer(`${name}.b`, [C], values(C, seed + 1)),
  ];
  const initializer = [
    ...weights('a', 3, 1),
    ...weights('p', 1, 3),
    ...weights('q', 3, 5),
    ...[
      ['a.scale', 1.7],
      ['a.shift', -0.3],
      ['p.scale', 0.6],
      ['p.shift', 0.25],
      ['q.scale', 1.3],
      ['q.shift', 0.5],
      ['three', 3],
      ['six', 6],
      ['zero', 0],
    ].map(([name, v]) => scalar(name as string, v as number)),
  ];
  const shape = { dim: [{ dimValue: 1 }, { dimValue: C }, { dimValue: SIZE }, { dimValue: SIZE }] };
  const io = (name: string) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape } } });
  const model: onnx.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: clipBounds === 'inputs' ? 11 : 9 }],
    graph: { name: 'lcnet', node: nodes, initializer, input: [io('x')], output: [io('pointwise'), io('padded')] },
  };
  return onnx.ModelProto.encode(model).finish();
}

async function run(bytes: Uint8Array, x: Float32Array): Promise<Record<string, Float32Array>> {
  const session = await InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
  const out = await session.run({ x: new Tensor('float32', x, [1, C, SIZE, SIZE]) });
  return { pointwise: out.pointwise.data as Float32Array, padded: out.padded.data as Float32Array };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('foldAffineBlocks', () => {
  it.each(['inputs', 'attributes'] as const)('folds a PP-LCNetV3 block (Clip bounds as %s) into fewer ops with the same outputs', async (bounds) => {
    const original = lcnetBlock(bounds);
    const { bytes, folds } = foldAffineBlocks(original);
    expect(folds).toEqual({ afterConv: 1, hardSwish: 1, beforePointwise: 1 });
    const ops = (onnx.ModelProto.decode(bytes).graph?.node ?? []).map((n) => n.opType);
    // Left: the hard-swish's two ops and the scale and shift before the padded convolution.
    expect(ops).toEqual(['Conv', 'HardSigmoid', 'Mul', 'Conv', 'Mul', 'Add', 'Conv']);
    // The values move far from zero (a hard-swish's three regimes all occur), so the comparison means something.
    const x = values(C * SIZE * SIZE, 42).map((v) => v * 4);
    const [before, after] = [await run(original, x), await run(bytes, x)];
    expect(Math.max(...before.pointwise.map(Math.abs))).toBeGreaterThan(1);
    expect(maxDiff(before.pointwise, after.pointwise)).toBeLessThan(1e-4);
    expect(maxDiff(before.padded, after.padded)).toBeLessThan(1e-4);
  });

  it('leaves a scale and shift alone when its value is also a graph output', () => {
    const model = onnx.ModelProto.decode(lcnetBlock('inputs'));
    const output = model.graph?.output?.[0];
    if (!model.graph || !output) throw new Error('the test model has a graph with outputs');
    model.graph.output = [...(model.graph.output ?? []), { ...output, name: 'a.scaled' }];
    const { folds } = foldAffineBlocks(onnx.ModelProto.encode(model).finish());
    expect(folds).toEqual({ afterConv: 0, hardSwish: 1, beforePointwise: 1 });
  });
});
