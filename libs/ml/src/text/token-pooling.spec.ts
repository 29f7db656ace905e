import { clsPool, meanPool } from './token-pooling';

// Two texts, three positions, two dims; the second text's last position is padding.
const hidden = Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 1000, 1000]);

describe('token pooling', () => {
  it('averages only the positions the mask keeps', () => {
    const [a, b] = meanPool(hidden, BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]), 2, 3, 2);
    expect(Array.from(a)).toEqual([3, 4]);
    expect(Array.from(b)).toEqual([20, 30]);
  });

  it('gives zeros for a fully masked row rather than NaN', () => {
    const [, b] = meanPool(hidden, BigInt64Array.from([1n, 0n, 0n, 0n, 0n, 0n]), 2, 3, 2);
    expect(Array.from(b)).toEqual([0, 0]);
  });

  it('takes the first position of each text for cls', () => {
    expect(clsPool(hidden, 2, 3, 2).map((v) => Array.from(v))).toEqual([
      [1, 2],
      [10, 20],
    ]);
  });
});
