import type { AppConfig } from '@heimdex/config';
import type { Availability, ModerationClassifier } from '../engine-types';
import { errorMessage } from '../faces/error-message';
import { NsfwClassifier } from './nsfw-classifier';

/** The moderation classifier, or why there is none: switched off (MODERATION_ENABLED=false) or its model failed to load. */
export async function loadModeration(config: AppConfig): Promise<Availability<ModerationClassifier>> {
  if (!config.ml.moderationEnabled) return { available: false, reason: 'content moderation is switched off (MODERATION_ENABLED=false)' };
  try {
    return { available: true, engine: await NsfwClassifier.create() };
  } catch (err) {
    return { available: false, reason: `moderation model failed to load: ${errorMessage(err)}` };
  }
}
