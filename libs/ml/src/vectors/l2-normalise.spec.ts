import { l2Normalise, normalisedRows } from './l2-normalise';

describe('l2Normalise', () => {
  it('scales to unit length', () => {
    expect(Array.from(l2Normalise(Float32Array.from([3, 4])))).toEqual([0.6000000238418579, 0.800000011920929]);
  });

  it('leaves a zero vector at zero', () => {
    expect(Array.from(l2Normalise(new Float32Array(3)))).toEqual([0, 0, 0]);
  });

  it('normalises each row of a batch into its own copy', () => {
    const data = Float32Array.from([0, 2, 5, 0]);
    const rows = normalisedRows(data, 2, 2);
    expect(rows.map((r) => Array.from(r))).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(Array.from(data)).toEqual([0, 2, 5, 0]);
  });
});
