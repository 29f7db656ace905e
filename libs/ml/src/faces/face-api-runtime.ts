import { dirname, join } from 'node:path';

export type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js');

/** The weights that ship with the package (no download). */
export const BUNDLED_FACE_MODELS = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');

let backend: Promise<FaceApi> | null = null;
let nets: { dir: string; ready: Promise<void> } | null = null;
let tail: Promise<unknown> = Promise.resolve();

/**
 * face-api on tfjs's WASM backend, set up once per process: tfjs state (backend, loaded weights)
 * is global, so every engine instance shares it. The .wasm files are named explicitly (the
 * package's own dist folder) rather than derived from where the backend's script was loaded from.
 */
export function faceApi(): Promise<FaceApi> {
  if (!backend) {
    const starting = (async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
      const api = await import('@vladmandic/face-api/dist/face-api.node-wasm.js');
      // The same tfjs instance face-api uses; its re-export's typings leave out the backend functions.
      const tf = await import('@tensorflow/tfjs');
      if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its WASM backend');
      await tf.ready();
      return api;
    })();
    backend = starting;
    starting.catch(() => {
      if (backend === starting) backend = null;
    });
  }
  return backend;
}

/** Detector, 68 landmarks, recognition and expression weights from `dir`, loaded once per process. */
export function loadFaceApiNets(api: FaceApi, dir: string): Promise<void> {
  if (nets && nets.dir !== dir) return Promise.reject(new Error(`face-api weights are already loaded from ${nets.dir}; one set per process`));
  if (!nets) {
    const ready = (async () => {
      await api.nets.ssdMobilenetv1.loadFromDisk(dir);
      await api.nets.faceLandmark68Net.loadFromDisk(dir);
      await api.nets.faceRecognitionNet.loadFromDisk(dir);
      await api.nets.faceExpressionNet.loadFromDisk(dir);
    })();
    const current = { dir, ready };
    nets = current;
    ready.catch(() => {
      if (nets === current) nets = null;
    });
  }
  return nets.ready;
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
