import sharp from 'sharp';
import type { OcrEngine, OcrLine } from '../engine-types';
import { joinOcrBoxes } from './join-ocr-boxes';

export interface SubtitleReading {
  text: string;
  /** Mean line confidence, 0..1. */
  confidence: number;
}

/** A word this long in the upright reading is likely two or more run together: italics hide the spaces. */
const GLUED_WORD_LENGTH = 9;
/** Horizontal shears that stand typical subtitle italics (about 8 to 14 degrees) upright, tried in turn. */
const ITALIC_SHEARS = [0.2, 0.15, 0.25];

/**
 * The text of one subtitle picture (dark text on a light ground), its lines top to bottom. The
 * recogniser runs italic words together ("Sinbad thesailor"); while a word is long enough to be
 * such a run, the picture is read again sheared upright (a few slants), and a reading wins when
 * it finds the same letters in more words, or other letters more surely.
 */
export async function readSubtitlePicture(ocr: OcrEngine, image: Buffer): Promise<SubtitleReading> {
  let best = reading(await ocr.read(image));
  for (const shear of ITALIC_SHEARS) {
    if (!best.text.split(' ').some((w) => w.length >= GLUED_WORD_LENGTH)) break;
    const matrix: [[number, number], [number, number]] = [
      [1, shear],
      [0, 1],
    ];
    const sheared = reading(await ocr.read(await sharp(image).affine(matrix, { background: '#ffffff' }).png().toBuffer()));
    if (better(sheared, best)) best = sheared;
  }
  return best;
}

function better(a: SubtitleReading, b: SubtitleReading): boolean {
  const letters = (t: string) => t.replace(/\s+/g, '');
  const words = (t: string) => t.split(' ').filter(Boolean).length;
  if (letters(a.text) === letters(b.text)) return words(a.text) > words(b.text);
  return a.confidence > b.confidence;
}

function reading(lines: OcrLine[]): SubtitleReading {
  // Rows in reading order; blank and unconfident readings (speckles, outline fragments) dropped.
  const kept = joinOcrBoxes(lines);
  if (!kept.length) return { text: '', confidence: 0 };
  return {
    text: kept
      .map((l) => l.text)
      .join(' ')
      .replace(/\s+/g, ' '),
    confidence: kept.reduce((s, l) => s + l.confidence, 0) / kept.length,
  };
}
