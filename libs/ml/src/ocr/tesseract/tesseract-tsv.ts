import type { OcrLine } from '../../engine-types';

/**
 * Lines from `tesseract … tsv` output: words (level 5, confidence 0..100, −1 for non-words)
 * grouped by block, paragraph and line; each line's confidence the mean of its words', its box
 * around them. Blank lines are dropped; order is tesseract's reading order.
 */
export function parseTesseractTsv(tsv: string): OcrLine[] {
  const rows = tsv.split(/\r?\n/u).filter((r) => r.trim());
  const header = rows.shift()?.split('\t') ?? [];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`tesseract TSV has no ${name} column`);
    return i;
  };
  const [level, block, par, line, left, top, width, height, conf, text] = [
    'level',
    'block_num',
    'par_num',
    'line_num',
    'left',
    'top',
    'width',
    'height',
    'conf',
    'text',
  ].map(col);
  const lines = new Map<string, { words: string[]; confs: number[]; x0: number; y0: number; x1: number; y1: number }>();
  for (const row of rows) {
    const f = row.split('\t');
    const word = (f[text] ?? '').trim();
    const c = Number(f[conf]);
    if (f[level] !== '5' || !word || !(c >= 0)) continue;
    const key = `${f[block]}/${f[par]}/${f[line]}`;
    const [x, y, w, h] = [left, top, width, height].map((i) => Number(f[i]));
    const l = lines.get(key) ?? { words: [], confs: [], x0: x, y0: y, x1: x + w, y1: y + h };
    l.words.push(word);
    l.confs.push(c / 100);
    [l.x0, l.y0, l.x1, l.y1] = [Math.min(l.x0, x), Math.min(l.y0, y), Math.max(l.x1, x + w), Math.max(l.y1, y + h)];
    lines.set(key, l);
  }
  return [...lines.values()].map((l) => ({
    text: l.words.join(' '),
    confidence: Math.min(1, Math.max(0, l.confs.reduce((a, b) => a + b, 0) / l.confs.length)),
    box: { x: l.x0, y: l.y0, width: l.x1 - l.x0, height: l.y1 - l.y0 },
  }));
}
