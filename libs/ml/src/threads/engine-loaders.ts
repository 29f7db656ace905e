import type { AppConfig } from '@heimdex/config';
import type { Availability, FaceEngine, ModerationClassifier, ObjectDetector, OcrEngine } from '../engine-types';

/**
 * The engines an engine thread can load, by name: each loader runs inside the thread with the
 * worker's config. A new engine (or a new loader for an old name) is one line here; its methods
 * are forwarded without changes to the thread host. Each imports its engine's modules only when
 * called, so a thread holds the code of its own engine alone. onnxruntime-node runs each
 * inference synchronously on the calling thread (InferenceSession.run only defers it with
 * setImmediate), so every onnxruntime engine that runs per frame belongs here too: on the worker's
 * event loop it would block everything else while it runs.
 */
export const ENGINE_LOADERS = {
  ocr: async (config: AppConfig): Promise<Availability<OcrEngine>> => (await import('../ocr/load-ocr')).loadOcr(config),
  faces: async (config: AppConfig): Promise<Availability<FaceEngine>> => (await import('../faces/load-faces')).loadFaces(config),
  objects: async (config: AppConfig): Promise<Availability<ObjectDetector>> => (await import('../objects/load-objects')).loadObjects(config),
  moderation: async (config: AppConfig): Promise<Availability<ModerationClassifier>> => (await import('../moderation/load-moderation')).loadModeration(config),
} satisfies Record<string, (config: AppConfig) => Promise<Availability<object>>>;

export type EngineLoaderName = keyof typeof ENGINE_LOADERS;

/** The engine a loader gives when available. */
export type EngineOf<N extends EngineLoaderName> = Awaited<ReturnType<(typeof ENGINE_LOADERS)[N]>> extends Availability<infer E> ? E : never;

export function isEngineLoaderName(name: string): name is EngineLoaderName {
  return Object.prototype.hasOwnProperty.call(ENGINE_LOADERS, name);
}
