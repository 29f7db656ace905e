import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

/** Set on the test's global by test-resources.ts (kept as a literal: this file runs outside the test's module registry). */
const CLOSE_HOOK = '__heimdexCloseTestFileResources';

/**
 * Jest's node environment, used by every test file (jest.config.js), with two additions:
 *
 * - Node's own typed-array constructors. onnxruntime-node's native binding creates output
 *   tensors from typed arrays of Node's realm, which fail the `instanceof` checks of
 *   onnxruntime-common when it runs inside Jest's VM context.
 * - When a file's tests and hooks have run, whatever test-resources.ts still owns is closed, and
 *   starts abandoned by a timed-out hook are waited for, before Jest tears the environment down.
 */
export default class OnnxTestEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name] as never;
  }

  async handleTestEvent(event: Circus.AsyncEvent): Promise<void> {
    if (event.name !== 'run_finish') return;
    const close = this.global[CLOSE_HOOK];
    if (typeof close === 'function') await (close as () => Promise<void>)();
  }
}
