import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;

/**
 * Jest's node environment with Node's own typed-array constructors. onnxruntime-node's native
 * binding creates output tensors from typed arrays of Node's realm, which fail the `instanceof`
 * checks of onnxruntime-common when it runs inside Jest's VM context. Specs that run onnxruntime
 * start with `@jest-environment ./test/helpers/onnx-test-environment.ts`.
 */
export default class OnnxTestEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name] as never;
  }
}
