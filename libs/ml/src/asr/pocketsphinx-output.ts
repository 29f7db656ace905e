import type { TranscriptSegment, TranscriptWord } from '../engine-types';

/**
 * Line-at-a-time readers of pocketsphinx's stdout, so a long file's transcript is built while the
 * decoder runs and its output never has to be held whole.
 *
 * - `continuous`: pocketsphinx_continuous (5prealpha, Debian/Ubuntu up to bookworm/noble) run with
 *   `-time yes`. Per utterance: the hypothesis text on a line, then `word start end posterior` lines
 *   from `<s>` to `</s>`.
 * - `json`: `pocketsphinx live` (5.x): one JSON object per utterance,
 *   `{"b":start,"d":duration,"p":prob,"t":"text","w":[{"b","d","p","t"}, ...]}`.
 */
export type PocketsphinxOutputFormat = 'continuous' | 'json';

export interface PocketsphinxOutputParser {
  push(line: string): void;
  /** The segments so far, closing an unfinished utterance; call once the process has exited. */
  finish(): TranscriptSegment[];
}

export function createPocketsphinxParser(format: PocketsphinxOutputFormat): PocketsphinxOutputParser {
  return format === 'json' ? new JsonLinesParser() : new ContinuousParser();
}

/** Parses a whole captured output (tests, small files). */
export function parsePocketsphinxOutput(text: string, format: PocketsphinxOutputFormat): TranscriptSegment[] {
  const parser = createPocketsphinxParser(format);
  for (const line of text.split(/\r?\n/)) parser.push(line);
  return parser.finish();
}

/**
 * Decoder tokens that are not speech: sentence marks `<s>` `</s>`, silence `<sil>`, noise classes
 * from the model's noisedict (`[NOISE]`, `[SPEECH]`, `++BREATH++`), and `NULL`.
 */
export function isFillerToken(token: string): boolean {
  return /^<.*>$/.test(token) || /^\[.*\]$/.test(token) || /^\+\+.*\+\+$/.test(token) || token === 'NULL';
}

/** `read(2)` is the second pronunciation of `read` in the dictionary: the word is `read`. */
export function dictionaryWord(token: string): string {
  return token.replace(/\(\d+\)$/, '');
}

/** A word line of `-time yes`: `word 1.230 1.560 0.998700` (the hypothesis line never looks like this). */
const timedWordLine = /^(\S+) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)$/;

class ContinuousParser implements PocketsphinxOutputParser {
  private readonly segments: TranscriptSegment[] = [];
  private words: TranscriptWord[] = [];

  push(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const m = timedWordLine.exec(trimmed);
    if (!m) {
      // A hypothesis line opens the next utterance.
      this.close();
      return;
    }
    const token = m[1];
    if (token === '<s>') this.close();
    if (isFillerToken(token)) {
      if (token === '</s>') this.close();
      return;
    }
    this.words.push(timedWord(dictionaryWord(token), Number(m[2]), Number(m[3]), Number(m[4])));
  }

  finish(): TranscriptSegment[] {
    this.close();
    return this.segments;
  }

  private close(): void {
    if (this.words.length > 0) this.segments.push(segmentOf(this.words));
    this.words = [];
  }
}

class JsonLinesParser implements PocketsphinxOutputParser {
  private readonly segments: TranscriptSegment[] = [];

  push(line: string): void {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new Error(`pocketsphinx printed a line that is not JSON: ${trimmed.slice(0, 200)}`);
    }
    const words: TranscriptWord[] = [];
    for (const w of arrayField(parsed, 'w')) {
      const token = stringField(w, 't');
      const start = numberField(w, 'b');
      const duration = numberField(w, 'd');
      if (token === null || start === null || duration === null || isFillerToken(token)) continue;
      words.push(timedWord(dictionaryWord(token), start, start + duration, numberField(w, 'p')));
    }
    if (words.length > 0) this.segments.push(segmentOf(words));
  }

  finish(): TranscriptSegment[] {
    return this.segments;
  }
}

function timedWord(word: string, startS: number, endS: number, posterior: number | null): TranscriptWord {
  // Posteriors come out of log-domain arithmetic and can overshoot 1 slightly (1.000100).
  const confidence = posterior === null || !Number.isFinite(posterior) ? null : Math.min(1, Math.max(0, posterior));
  return { word, startS, endS: Math.max(startS, endS), confidence };
}

function segmentOf(words: TranscriptWord[]): TranscriptSegment {
  return { startS: words[0].startS, endS: words[words.length - 1].endS, text: words.map((w) => w.word).join(' '), words };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function arrayField(value: unknown, key: string): unknown[] {
  const v = field(value, key);
  return Array.isArray(v) ? v : [];
}

function stringField(value: unknown, key: string): string | null {
  const v = field(value, key);
  return typeof v === 'string' ? v : null;
}

function numberField(value: unknown, key: string): number | null {
  const v = field(value, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
