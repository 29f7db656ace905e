import type { AppConfig } from '@heimdex/config';
import type { Availability, OcrEngine } from '../engine-types';
import { errorMessage } from '../faces/error-message';
import { PpOcrEngine, PpOcrOptions } from './ppocr/ppocr-engine';
import { TesseractOcrEngine, tesseractProblem } from './tesseract/tesseract-engine';

export interface LoadOcrOptions extends Omit<PpOcrOptions, 'threads'> {
  /** The tesseract binary (OCR_ENGINE=tesseract); default `tesseract` on PATH. */
  tesseractBinary?: string;
}

/**
 * The OCR engine OCR_ENGINE names, or why there is none: switched off (OCR_ENABLED=false), its
 * models failed to load, or tesseract or a language pack is not installed.
 */
export async function loadOcr(config: AppConfig, options: LoadOcrOptions = {}): Promise<Availability<OcrEngine>> {
  if (!config.ml.ocrEnabled) return { available: false, reason: 'OCR is switched off (OCR_ENABLED=false)' };
  if (config.ml.ocrEngine === 'tesseract') {
    const tesseract = { langs: config.ml.ocrTesseractLangs, binary: options.tesseractBinary };
    const problem = await tesseractProblem(tesseract);
    if (problem) return { available: false, reason: `OCR_ENGINE=tesseract: ${problem}` };
    try {
      return { available: true, engine: await TesseractOcrEngine.create(tesseract) };
    } catch (err) {
      return { available: false, reason: `OCR_ENGINE=tesseract: ${errorMessage(err)}` };
    }
  }
  const { tesseractBinary: _unused, ...ppocr } = options;
  try {
    return { available: true, engine: await PpOcrEngine.create({ ...ppocr, threads: config.ml.ortThreads }) };
  } catch (err) {
    return { available: false, reason: `OCR models failed to load: ${errorMessage(err)}` };
  }
}
