import type { AppConfig } from '@heimdex/config';
import type { Availability, FaceEngine, ModerationClassifier, ObjectDetector } from '../engine-types';

/**
 * The engines an engine thread can load, by name: each loader runs inside the thread with the
 * worker's config. A new engine (or a new loader for an old name) is one line here; its methods
 * are forwarded without changes to the thread host. Each imports its engine's modules only when
 * called, so a thread holds the code of its own engine alone. OCR is not here: onnxruntime-node
 * already runs inference on its own thread pool, off the event loop, and it aborts the whole
 * process ("terminate called after throwing an instance of 'Napi::Error'") when a worker thread
 * that loaded it is terminated, as closing the worker does.
 */
export const ENGINE_LOADERS = {
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
