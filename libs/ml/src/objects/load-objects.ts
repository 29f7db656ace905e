import type { AppConfig } from '@heimdex/config';
import type { Availability, ObjectDetector } from '../engine-types';
import { errorMessage } from '../faces/error-message';
import { CenterNetDetector } from './centernet-detector';

/** The object detector, or why there is none: switched off (OBJECTS_ENABLED=false) or its model failed to load. */
export async function loadObjects(config: AppConfig): Promise<Availability<ObjectDetector>> {
  if (!config.ml.objectsEnabled) return { available: false, reason: 'object detection is switched off (OBJECTS_ENABLED=false)' };
  try {
    return { available: true, engine: await CenterNetDetector.create({ minConfidence: config.ml.objectMinConfidence, threads: config.ml.ortThreads }) };
  } catch (err) {
    return { available: false, reason: `object model failed to load: ${errorMessage(err)}` };
  }
}
