import sharp from 'sharp';
import type { OcrEngine, OcrLine } from '../engine-types';

export interface SubtitleReading {
  text: string;
  /** Mean line confidence, 0..1. */
  confidence: number;
}

/** Lines read less surely than this are left out (speckles, outline fragments). */
const MIN_LINE_CONFIDENCE = 0.5;
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
  const kept = readingOrder(lines.filter((l) => l.text.trim() && l.confidence >= MIN_LINE_CONFIDENCE));
  if (!kept.length) return { text: '', confidence: 0 };
  return {
    text: kept
      .map((l) => l.text.trim())
      .join(' ')
      .replace(/\s+/g, ' '),
    confidence: kept.reduce((s, l) => s + l.confidence, 0) / kept.length,
  };
}

/** Rows top to bottom, each left to right: boxes whose vertical middles lie within each other's height are one row. */
export function readingOrder<L extends { box: { x: number; y: number; height: number } }>(lines: readonly L[]): L[] {
  const rows: L[][] = [];
  for (const line of [...lines].sort((a, b) => a.box.y - b.box.y)) {
    const middle = line.box.y + line.box.height / 2;
    const row = rows.find((r) => r.some((o) => Math.abs(o.box.y + o.box.height / 2 - middle) <= Math.min(o.box.height, line.box.height) / 2));
    if (row) row.push(line);
    else rows.push([line]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.box.x - b.box.x));
}
