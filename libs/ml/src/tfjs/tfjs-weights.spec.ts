import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTfjsWeights, readTfjsWeights } from './tfjs-weights';

describe('readTfjsWeights', () => {
  it('reads plain and quantised weights in manifest order across shards, as tfjs dequantises them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-tfjs-weights-'));
    const first = Buffer.alloc(8 + 3 + 4);
    first.writeFloatLE(1.5, 0);
    first.writeFloatLE(-2.25, 4);
    first.set([0, 2, 255], 8);
    first.writeUInt16LE(0x3c00, 11); // float16 1.0
    first.writeUInt16LE(0xc000, 13); // float16 -2.0
    const second = Buffer.alloc(4);
    second.writeInt32LE(-7, 0);
    writeFileSync(join(dir, 'a.bin'), first);
    writeFileSync(join(dir, 'b.bin'), second);
    const weights = await readTfjsWeights(dir, [
      {
        paths: ['a.bin', 'b.bin'],
        weights: [
          { name: 'plain', shape: [2], dtype: 'float32' },
          { name: 'bytes', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
          { name: 'half', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
          { name: 'ints', shape: [1], dtype: 'int32' },
        ],
      },
    ]);
    expect(Array.from(weights.get('plain')!.values)).toEqual([1.5, -2.25]);
    expect(Array.from(weights.get('bytes')!.values)).toEqual([-1, 0, 126.5]);
    expect(Array.from(weights.get('half')!.values)).toEqual([1, -2]);
    expect(weights.get('ints')!.values).toBeInstanceOf(Int32Array);
    expect(Array.from(weights.get('ints')!.values)).toEqual([-7]);
  });

  it('names a quantisation it does not know', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-tfjs-weights-'));
    writeFileSync(join(dir, 'a.bin'), Buffer.alloc(4));
    await expect(
      readTfjsWeights(dir, [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } }] }]),
    ).rejects.toThrow('weight w: unknown quantisation int4');
  });

  it('names a weight its shards are too short for instead of reading past their end', () => {
    expect(() => decodeTfjsWeights(Buffer.alloc(3), [{ name: 'short', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8' } }])).toThrow(
      'weight short runs past the end of its shards (3 bytes)',
    );
  });
});
