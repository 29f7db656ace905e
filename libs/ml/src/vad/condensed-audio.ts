import type { TranscriptSegment, TranscriptWord } from '../engine-types';
import type { SpeechRegion } from './speech-regions';

/** Silence put between two speech regions in the condensed recording, so the decoder ends an utterance there. */
export const CONDENSED_GAP_S = 0.3;

/** Where a speech region sits in the condensed recording. */
export interface CondensedPiece {
  sourceStartS: number;
  sourceEndS: number;
  condensedStartS: number;
}

/** The speech regions laid end to end, with a short silence before each. */
export function condensedLayout(regions: SpeechRegion[], gapS = CONDENSED_GAP_S): CondensedPiece[] {
  let at = gapS;
  return regions.map((r) => {
    const piece = {
      sourceStartS: r.startS,
      sourceEndS: r.endS,
      condensedStartS: at,
    };
    at += r.endS - r.startS + gapS;
    return piece;
  });
}

/** 16 kHz samples of only the speech regions, each after `gapS` of silence, and that silence again at the end. */
export function condensedSamples(samples: Float32Array, sampleRate: number, pieces: CondensedPiece[], gapS = CONDENSED_GAP_S): Int16Array {
  const gap = Math.round(gapS * sampleRate);
  const spans = pieces.map((p) => [Math.round(p.sourceStartS * sampleRate), Math.min(samples.length, Math.round(p.sourceEndS * sampleRate))] as const);
  const out = new Int16Array(spans.reduce((n, [a, b]) => n + Math.max(0, b - a) + gap, gap));
  let at = gap;
  for (const [a, b] of spans) {
    for (let i = a; i < b; i++) out[at++] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767)));
    at += gap;
  }
  return out;
}

/** A time in the condensed recording back to the source: inside a piece, or clamped to the end of the one before a gap. */
export function toSourceTime(pieces: CondensedPiece[], t: number): number {
  let piece = pieces[0];
  for (const p of pieces) {
    if (p.condensedStartS <= t) piece = p;
    else break;
  }
  if (!piece) return t;
  return round3(Math.min(piece.sourceEndS, Math.max(piece.sourceStartS, piece.sourceStartS + (t - piece.condensedStartS))));
}

/** Segments decoded from the condensed recording, with source times, and without words below `minConfidence`. */
export function restoreSegments(segments: TranscriptSegment[], pieces: CondensedPiece[], minConfidence: number): TranscriptSegment[] {
  return segments.flatMap((segment) => {
    const words: TranscriptWord[] = segment.words
      .filter((w) => w.confidence === null || w.confidence >= minConfidence)
      .map((w) => {
        const startS = toSourceTime(pieces, w.startS);
        return {
          ...w,
          startS,
          endS: Math.max(startS, toSourceTime(pieces, w.endS)),
        };
      });
    if (!words.length) return [];
    return [
      {
        startS: words[0].startS,
        endS: words[words.length - 1].endS,
        text: words.map((w) => w.word).join(' '),
        words,
      },
    ];
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
