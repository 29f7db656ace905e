import type { TranscriptSegment, TranscriptWord } from '../engine-types';

/** One entry of the transformers.js ASR pipeline's `chunks`: a word (word timestamps) or a phrase. */
export interface WhisperChunk {
  text: string;
  /** Seconds; the end is null when Whisper stopped before closing the last timestamp. */
  timestamp: [number, number | null];
}

/** A new segment starts after a pause this long between words... */
const segmentGapS = 1.0;
/** ...after a word that ends a sentence, or once a segment is this long. */
const segmentMaxS = 30;
const sentenceEnd = /[.?!。？！]["'”’)\]]*$/u;
const edgePunctuation = /^\p{P}+|\p{P}+$/gu;

/**
 * Word chunks → segments. Whisper's words carry their leading space and punctuation (" country.");
 * segment text is Whisper's own text (so scripts written without spaces stay intact), each word is
 * stripped of edge punctuation. Times are clamped into [0, durationS] and kept in order, since
 * chunk merging can leave a word starting before its predecessor.
 */
export function segmentsFromWords(chunks: WhisperChunk[], durationS: number): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let words: TranscriptWord[] = [];
  let text = '';
  let lastStart = 0;
  const close = (): void => {
    if (words.length > 0 && text.trim() !== '') {
      segments.push({ startS: words[0].startS, endS: words[words.length - 1].endS, text: text.trim(), words });
    }
    words = [];
    text = '';
  };

  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    const raw = chunk.text;
    if (raw.trim() === '') continue;
    const [startS, endS] = chunkTimes(chunks, i, durationS, lastStart);
    lastStart = startS;
    const word = raw.trim().replace(edgePunctuation, '');
    const previous = words.at(-1);
    if (previous && (startS - previous.endS > segmentGapS || endS - words[0].startS > segmentMaxS)) close();
    // Punctuation alone (" -") belongs to the text but is not a word to index.
    if (word === '' && words.length === 0) continue;
    text += raw;
    if (word !== '') words.push({ word, startS, endS, confidence: null });
    if (sentenceEnd.test(raw.trim())) close();
  }
  close();
  return segments;
}

/** Phrase chunks (models without word alignment) → one segment each, without words. */
export function segmentsFromPhrases(chunks: WhisperChunk[], durationS: number): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let lastStart = 0;
  for (let i = 0; i < chunks.length; i++) {
    const text = chunks[i].text.trim();
    if (text === '') continue;
    const [startS, endS] = chunkTimes(chunks, i, durationS, lastStart);
    lastStart = startS;
    segments.push({ startS, endS, text, words: [] });
  }
  return segments;
}

function chunkTimes(chunks: WhisperChunk[], i: number, durationS: number, notBefore: number): [number, number] {
  const clamp = (t: number): number => Math.min(durationS, Math.max(0, t));
  const [rawStart, rawEnd] = chunks[i].timestamp;
  const startS = Math.max(notBefore, clamp(Number.isFinite(rawStart) ? rawStart : notBefore));
  const next = chunks[i + 1]?.timestamp[0];
  const end = rawEnd !== null && Number.isFinite(rawEnd) ? rawEnd : next !== undefined && Number.isFinite(next) ? next : durationS;
  return [startS, Math.max(startS, clamp(end))];
}
