import { onnx } from 'onnx-proto';

const { AttributeType } = onnx.AttributeProto;

/**
 * TensorFlow convolution filters (HWIO; depthwise H W C 1) as ONNX's OIHW (depthwise C 1 H W, one
 * group per channel).
 */
export function onnxConvFilters(values: ArrayLike<number>, shape: readonly number[], depthwise: boolean): { dims: number[]; data: Float32Array } {
  const [kh, kw, cin, cout] = shape;
  if (depthwise && cout !== 1) throw new Error(`depthwise multiplier ${cout} is not converted`);
  const outChannels = depthwise ? cin : cout;
  const inPerGroup = depthwise ? 1 : cin;
  const data = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          const [oc, ic] = depthwise ? [i, 0] : [o, i];
          data[((oc * inPerGroup + ic) * kh + y) * kw + x] = values[((y * kw + x) * cin + i) * cout + o];
        }
      }
    }
  }
  return { dims: [outChannels, inPerGroup, kh, kw], data };
}

/** An ONNX Conv with TensorFlow's padding ('SAME' pads the extra row and column at the end, as SAME_UPPER). */
export function tfConvNode(name: string, inputs: string[], options: { stride: number; groups: number; padding: 'SAME' | 'VALID' }): onnx.INodeProto {
  return {
    opType: 'Conv',
    name,
    input: inputs,
    output: [name],
    attribute: [
      { name: 'auto_pad', type: AttributeType.STRING, s: new TextEncoder().encode(options.padding === 'SAME' ? 'SAME_UPPER' : 'VALID') },
      { name: 'strides', type: AttributeType.INTS, ints: [options.stride, options.stride] },
      { name: 'group', type: AttributeType.INT, i: options.groups },
    ],
  };
}

/** A float32 initializer. */
export function floatInitializer(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
