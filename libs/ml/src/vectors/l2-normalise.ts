/** Scales to unit length in place and returns it; an all-zero vector stays zero rather than NaN. */
export function l2Normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}

/** Rows of a row-major [rows, dims] buffer, each L2-normalised (copies; the buffer is untouched). */
export function normalisedRows(data: Float32Array, rows: number, dims: number): Float32Array[] {
  return Array.from({ length: rows }, (_, r) => l2Normalise(Float32Array.from(data.subarray(r * dims, (r + 1) * dims))));
}
