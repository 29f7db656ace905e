import type { InferenceSession } from 'onnxruntime-node';

export interface FloatOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** One float32 output of a run, with a clear error when the model gives something else. */
export function floatOutput(results: InferenceSession.ReturnType, name: string, modelPath: string): FloatOutput {
  const value = results[name];
  if (!value) throw new Error(`${modelPath} returned no ${name}`);
  if (value.type !== 'float32') throw new Error(`${modelPath}: output ${name} is ${value.type}, expected float32`);
  return { data: value.data as Float32Array, dims: value.dims };
}

/** The error for a model whose vectors are not as wide as its manifest says. */
export function dimsMismatch(modelPath: string, output: string, actual: number, declared: number): Error {
  return new Error(`${modelPath}: output ${output} has ${actual} dimensions but the manifest says dims ${declared}`);
}
