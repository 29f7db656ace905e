import { dirname, join } from 'node:path';
import { onTfjs, tfjs } from '../tfjs/tfjs-runtime';

export type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js');

/** The weights that ship with the package (no download). */
export const BUNDLED_FACE_MODELS = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');

let backend: Promise<FaceApi> | null = null;
let nets: { dir: string; ready: Promise<void> } | null = null;

/** face-api on the shared tfjs runtime (tfjs-runtime.ts), set up once per process. */
export function faceApi(): Promise<FaceApi> {
  if (!backend) {
    const starting = (async () => {
      await tfjs();
      return import('@vladmandic/face-api/dist/face-api.node-wasm.js');
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

export { onTfjs };
