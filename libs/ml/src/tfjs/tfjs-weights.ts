import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One entry of a tfjs weights manifest. */
export interface TfjsWeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface TfjsWeightGroup {
  paths: string[];
  weights: TfjsWeightEntry[];
}

export interface TfjsWeight {
  shape: number[];
  values: Float32Array | Int32Array;
}

/** IEEE half to single precision. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * The weights a tfjs manifest lists (graph models and face-api's nets alike), read from the shard
 * files in `dir` and dequantised as tfjs does (see decodeTfjsWeights).
 */
export async function readTfjsWeights(dir: string, groups: readonly TfjsWeightGroup[]): Promise<Map<string, TfjsWeight>> {
  const out = new Map<string, TfjsWeight>();
  for (const group of groups) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(dir, p)))));
    for (const [name, weight] of decodeTfjsWeights(bytes, group.weights)) out.set(name, weight);
  }
  return out;
}

/** One weight group's bytes (its shards end to end) as its entries list them, dequantised as tfjs does: uint8/uint16 as q × scale + min, float16 widened. */
export function decodeTfjsWeights(bytes: Buffer, entries: readonly TfjsWeightEntry[]): Map<string, TfjsWeight> {
  const out = new Map<string, TfjsWeight>();
  let offset = 0;
  for (const w of entries) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization;
    const size = !q ? 4 : q.dtype === 'uint8' ? 1 : 2;
    if (offset + count * size > bytes.length) throw new Error(`weight ${w.name} runs past the end of its shards (${bytes.length} bytes)`);
    const values = w.dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
    if (!q) {
      for (let i = 0; i < count; i++) values[i] = w.dtype === 'int32' ? bytes.readInt32LE(offset + i * 4) : bytes.readFloatLE(offset + i * 4);
    } else if (q.dtype === 'float16') {
      for (let i = 0; i < count; i++) values[i] = halfToFloat(bytes.readUInt16LE(offset + i * 2));
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      for (let i = 0; i < count; i++) values[i] = (size === 1 ? bytes[offset + i] : bytes.readUInt16LE(offset + i * 2)) * (q.scale ?? 1) + (q.min ?? 0);
    } else {
      throw new Error(`weight ${w.name}: unknown quantisation ${q.dtype}`);
    }
    offset += count * size;
    out.set(w.name, { shape: w.shape, values });
  }
  return out;
}
