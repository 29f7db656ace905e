import type { AppConfig } from '@heimdex/config';
import type { Availability } from '../engine-types';
import { loadFaces } from '../faces/load-faces';
import { loadModeration } from '../moderation/load-moderation';
import { loadObjects } from '../objects/load-objects';
import { loadOcr } from '../ocr/load-ocr';

/**
 * The engines an engine thread can load, by name: each loader runs inside the thread with the
 * worker's config. A new engine (or a new loader for an old name) is one line here; its methods
 * are forwarded without changes to the thread host.
 */
export const ENGINE_LOADERS = {
  ocr: (config: AppConfig) => loadOcr(config),
  faces: (config: AppConfig) => loadFaces(config),
  objects: (config: AppConfig) => loadObjects(config),
  moderation: (config: AppConfig) => loadModeration(config),
} satisfies Record<string, (config: AppConfig) => Promise<Availability<object>>>;

export type EngineLoaderName = keyof typeof ENGINE_LOADERS;

/** The engine a loader gives when available. */
export type EngineOf<N extends EngineLoaderName> = Awaited<ReturnType<(typeof ENGINE_LOADERS)[N]>> extends Availability<infer E> ? E : never;

export function isEngineLoaderName(name: string): name is EngineLoaderName {
  return Object.prototype.hasOwnProperty.call(ENGINE_LOADERS, name);
}
