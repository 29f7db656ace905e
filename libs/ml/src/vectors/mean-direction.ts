import { l2Normalise } from './l2-normalise';

/** The unit vector along the mean of unit vectors: one embedding for several frames of a scene. */
export function meanDirection(vectors: readonly Float32Array[]): Float32Array {
  if (!vectors.length) throw new Error('meanDirection needs at least one vector');
  const out = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i] += v[i];
  return l2Normalise(out);
}
