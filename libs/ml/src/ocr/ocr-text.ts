/** What the cleaning needs of a line; other fields (frame time, box) ride along untouched. */
export interface OcrTextLine {
  text: string;
  /** 0..1 */
  confidence: number;
  /** The frame the line was read on: two lines of one frame are two texts on screen, never one misread. */
  frameS?: number;
}

/** A cleaned line with the span of frames it was seen on (when its readings had frame times). */
export type SpannedOcrLine<T extends OcrTextLine> = T & { startS?: number; endS?: number; frames: number };

export interface OcrCleaning {
  /** Lines read with less confidence are noise. */
  minConfidence: number;
  /** Lines with fewer letters or digits are noise (a stray "I", "|", "-"). */
  minChars: number;
  /**
   * Texts from different frames at least this similar (1 − edit distance / longer length,
   * case-insensitive) and with the same digits are one text misread.
   */
  sameTextSimilarity: number;
}

export const DEFAULT_OCR_CLEANING: OcrCleaning = { minConfidence: 0.7, minChars: 2, sameTextSimilarity: 0.85 };

/** NFKC (full-width and ligature forms to plain ones), whitespace runs to one space, trimmed. */
export function normaliseOcrText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/**
 * Levenshtein similarity of two strings, 0..1: 1 − edits / longer length. "QUARTERLY SALES REVIEW"
 * vs "QUARTERLY SALES REVIEVV" (W read as VV: two edits in 23) is 0.91.
 */
export function textSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (!longer) return 1;
  return 1 - editDistance(a, b) / longer;
}

function digits(text: string): string {
  return text.replace(/\D+/gu, '');
}

/** Both texts have digits and they differ ("Q3 2023" vs "Q3 2024"); a digit in one only is a misread letter ("8UNNY"). */
function digitsConflict(a: string, b: string): boolean {
  const [da, db] = [digits(a), digits(b)];
  return da !== '' && db !== '' && da !== db;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * One scene's OCR lines (from all its frames, in frame order) made fit to index: normalised,
 * noise dropped, and the same text seen on several frames kept once. Near-duplicates (one
 * frame's misreading of another's text) count as the same text, unless both have digits and they
 * differ ("Q3 2023" vs "Q3 2024" are two texts; a kept duplicate costs less than a lost number) or
 * they were read on the same frame. Of a group, the reading seen most often is kept (ties: the
 * one fewest edits from the group's other readings, then the most confident), as the line it came
 * from, with its other fields. Order: first seen first.
 */
export function cleanOcrLines<T extends OcrTextLine>(lines: readonly T[], options: Partial<OcrCleaning> = {}): T[] {
  return mergeOcrLines(lines, options).map(({ line }) => line);
}

/**
 * cleanOcrLines, keeping for each text the frames it was seen on: `startS`/`endS` the first and
 * last of them, `frames` how many readings it had. Use on a scene's lines from all its frames,
 * so a search hit can point at the moment a text shows.
 */
export function spanOcrLines<T extends OcrTextLine>(lines: readonly T[], options: Partial<OcrCleaning> = {}): SpannedOcrLine<T>[] {
  return mergeOcrLines(lines, options).map(({ line, members }) => {
    const times = members.map((m) => m.frameS).filter((t): t is number => t !== undefined);
    const span = times.length ? { startS: Math.min(...times), endS: Math.max(...times) } : {};
    return { ...line, ...span, frames: members.length };
  });
}

function mergeOcrLines<T extends OcrTextLine>(lines: readonly T[], options: Partial<OcrCleaning>): { line: T; members: T[] }[] {
  const rule = { ...DEFAULT_OCR_CLEANING, ...options };
  const groups: { key: string; members: { line: T; key: string }[] }[] = [];
  for (const line of lines) {
    const text = normaliseOcrText(line.text);
    if (line.confidence < rule.minConfidence || (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < rule.minChars) continue;
    const cleaned = { line: { ...line, text }, key: text.toLocaleLowerCase() };
    const group =
      groups.find((g) => g.key === cleaned.key) ??
      groups.find(
        (g) =>
          !digitsConflict(g.key, cleaned.key) &&
          !g.members.some((m) => m.line.frameS !== undefined && m.line.frameS === line.frameS) &&
          textSimilarity(g.key, cleaned.key) >= rule.sameTextSimilarity,
      );
    if (group) group.members.push(cleaned);
    else groups.push({ key: cleaned.key, members: [cleaned] });
  }
  return groups.map(({ members }) => {
    const seen = new Map<string, number>();
    for (const m of members) seen.set(m.line.text, (seen.get(m.line.text) ?? 0) + 1);
    // The medoid: a frame misread differently from the rest is far from them, however confident.
    const edits = new Map<string, number>();
    for (const text of seen.keys())
      edits.set(
        text,
        members.reduce((sum, m) => sum + editDistance(text, m.line.text), 0),
      );
    const line = members.reduce((best, m) => {
      const [bestCount, count] = [seen.get(best.line.text) ?? 0, seen.get(m.line.text) ?? 0];
      if (count !== bestCount) return count > bestCount ? m : best;
      const [bestEdits, mEdits] = [edits.get(best.line.text) ?? 0, edits.get(m.line.text) ?? 0];
      if (mEdits !== bestEdits) return mEdits < bestEdits ? m : best;
      return m.line.confidence > best.line.confidence ? m : best;
    }).line;
    return { line, members: members.map((m) => m.line) };
  });
}
