import type { AppConfig } from '@heimdex/config';
import type { Availability, OcrEngine } from '../engine-types';
import { errorMessage } from '../faces/error-message';
import { GutenOcrEngine, GutenOcrOptions } from './guten-ocr-engine';

/** The OCR engine, or why there is none: switched off (OCR_ENABLED=false) or its models failed to load. */
export async function loadOcr(config: AppConfig, options: Omit<GutenOcrOptions, 'threads'> = {}): Promise<Availability<OcrEngine>> {
  if (!config.ml.ocrEnabled) return { available: false, reason: 'OCR is switched off (OCR_ENABLED=false)' };
  try {
    return { available: true, engine: await GutenOcrEngine.create({ ...options, threads: config.ml.ortThreads }) };
  } catch (err) {
    return { available: false, reason: `OCR models failed to load: ${errorMessage(err)}` };
  }
}
