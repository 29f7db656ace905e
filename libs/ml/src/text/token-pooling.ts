/**
 * Pooling of a [batch, seq, dims] hidden state (row-major) into one vector per text. Mean pooling
 * weights by the attention mask so padding never counts, as sentence-transformers does.
 */
export function meanPool(hidden: Float32Array, mask: BigInt64Array, batch: number, seq: number, dims: number): Float32Array[] {
  return Array.from({ length: batch }, (_, b) => {
    const out = new Float32Array(dims);
    let weight = 0;
    for (let s = 0; s < seq; s++) {
      if (mask[b * seq + s] === 0n) continue;
      weight++;
      const offset = (b * seq + s) * dims;
      for (let d = 0; d < dims; d++) out[d] += hidden[offset + d];
    }
    if (weight > 0) for (let d = 0; d < dims; d++) out[d] /= weight;
    return out;
  });
}

/** The first token's ([CLS]) hidden state. */
export function clsPool(hidden: Float32Array, batch: number, seq: number, dims: number): Float32Array[] {
  return Array.from({ length: batch }, (_, b) => Float32Array.from(hidden.subarray(b * seq * dims, b * seq * dims + dims)));
}
