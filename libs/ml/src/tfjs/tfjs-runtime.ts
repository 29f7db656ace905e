import { dirname } from 'node:path';

export type Tfjs = typeof import('@tensorflow/tfjs');

let runtime: Promise<Tfjs> | null = null;
let tail: Promise<unknown> = Promise.resolve();

/**
 * tfjs on its WASM backend, set up once per process and shared by every tfjs model (faces,
 * objects, moderation): its state is global. The .wasm files are named explicitly (the backend
 * package's own dist folder); a global `fetch` is hidden while the backend starts, as the WASM
 * loader would otherwise try to fetch a file path as a URL.
 */
export function tfjs(): Promise<Tfjs> {
  if (!runtime) {
    const starting = (async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
      const tf = await import('@tensorflow/tfjs');
      const globals = globalThis as { fetch?: unknown };
      const fetch = globals.fetch;
      delete globals.fetch;
      try {
        if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its WASM backend');
        await tf.ready();
      } finally {
        globals.fetch = fetch;
      }
      return tf;
    })();
    runtime = starting;
    starting.catch(() => {
      if (runtime === starting) runtime = null;
    });
  }
  return runtime;
}

/**
 * Runs tfjs work one call at a time. tfjs runs on the main thread and its state is global, so
 * overlapping calls gain nothing and would interleave their tensors.
 */
export function onTfjs<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}
