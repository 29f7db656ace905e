import type { OcrEngine } from '@heimdex/ml';
import { GutenOcrEngine } from './guten-ocr-engine';

/** The previous engine (@gutenye/ocr-node), for side-by-side benchmarks. */
export async function loadOldOcr(threads: number): Promise<OcrEngine> {
  return GutenOcrEngine.create({ threads });
}
