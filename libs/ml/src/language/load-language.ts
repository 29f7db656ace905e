import type { AppConfig } from '@heimdex/config';
import type { Availability, LanguageIdentifier } from '../engine-types';
import { errorMessage } from '../faces/error-message';
import { FastTextLanguageIdentifier } from './fasttext-language';

/** The language identifier, or why there is none: switched off (LANGUAGE_ID_ENABLED=false) or its model failed to load. */
export async function loadLanguageIdentifier(config: AppConfig): Promise<Availability<LanguageIdentifier>> {
  if (!config.ml.languageIdEnabled) return { available: false, reason: 'language identification is switched off (LANGUAGE_ID_ENABLED=false)' };
  try {
    return { available: true, engine: await FastTextLanguageIdentifier.create() };
  } catch (err) {
    return { available: false, reason: `language model failed to load: ${errorMessage(err)}` };
  }
}
