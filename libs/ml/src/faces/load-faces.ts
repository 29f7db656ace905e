import type { AppConfig } from '@heimdex/config';
import type { Availability, FaceEngine } from '../engine-types';
import { errorMessage } from './error-message';
import { FaceApiEngine, FaceApiEngineOptions } from './face-api-engine';

/** The face engine, or why there is none: switched off (FACES_ENABLED=false) or its models failed to load. */
export async function loadFaces(config: AppConfig, options: FaceApiEngineOptions = {}): Promise<Availability<FaceEngine>> {
  if (!config.ml.facesEnabled) return { available: false, reason: 'face detection is switched off (FACES_ENABLED=false)' };
  try {
    return { available: true, engine: await FaceApiEngine.create({ ssdThreads: config.ml.ortThreads, ...options }) };
  } catch (err) {
    return { available: false, reason: `face models failed to load: ${errorMessage(err)}` };
  }
}
