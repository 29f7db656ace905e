import type { TranscriptSegment, TranscriptWord } from '../engine-types';
import type { SpeechRegion } from './speech-regions';

/** Silence put between two speech regions in the condensed recording, so the decoder ends an utterance there. */
export const CONDENSED_GAP_S = 0.3;

/** Where a speech region sits in the condensed recording. */
export interface CondensedPiece {
  sourceStartS: number;
  sourceEndS: number;
  condensedStartS: number;
  /** A copy decoded only to settle the decoder: its words are dropped. */
  warmup?: boolean;
}

/**
 * The speech regions laid end to end, with a short gap before each. With `warmupS` > 0 the first
 * region's first `warmupS` seconds come first once more, as a warm-up whose words are dropped:
 * pocketsphinx adapts its cepstral mean at the end of each utterance and mishears the first one it
 * hears (see speech-chunks.ts), so without it the first region of every recording is decoded worst.
 */
export function condensedLayout(regions: SpeechRegion[], gapS = CONDENSED_GAP_S, warmupS = 0): CondensedPiece[] {
  let at = gapS;
  const pieces: CondensedPiece[] = [];
  if (warmupS > 0 && regions.length) {
    const first = regions[0];
    const endS = Math.min(first.endS, first.startS + warmupS);
    pieces.push({ sourceStartS: first.startS, sourceEndS: endS, condensedStartS: at, warmup: true });
    at += endS - first.startS + gapS;
  }
  for (const r of regions) {
    pieces.push({ sourceStartS: r.startS, sourceEndS: r.endS, condensedStartS: at });
    at += r.endS - r.startS + gapS;
  }
  return pieces;
}

/**
 * Peak of the noise that fills the gaps (about -60 dBFS). pocketsphinx_continuous mistimes words
 * after exact digital silence: on a condensed espeak recording with zero-filled gaps every word came
 * out 1.8 s late (landing in the next region) and two regions were decoded as one utterance; with
 * this floor the times were right and each region was its own utterance.
 */
const GAP_NOISE_AMPLITUDE = 33;

/** 16 kHz samples of only the speech regions, each after `gapS` of faint noise, and that gap again at the end. */
export function condensedSamples(samples: Float32Array, sampleRate: number, pieces: CondensedPiece[], gapS = CONDENSED_GAP_S): Int16Array {
  const gap = Math.round(gapS * sampleRate);
  const spans = pieces.map((p) => [Math.round(p.sourceStartS * sampleRate), Math.min(samples.length, Math.round(p.sourceEndS * sampleRate))] as const);
  const out = new Int16Array(spans.reduce((n, [a, b]) => n + Math.max(0, b - a) + gap, gap));
  const noise = noiseSource();
  const fillGap = (from: number) => {
    for (let i = from; i < from + gap; i++) out[i] = noise();
  };
  fillGap(0);
  let at = gap;
  for (const [a, b] of spans) {
    for (let i = a; i < b; i++) out[at++] = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767)));
    fillGap(at);
    at += gap;
  }
  return out;
}

/** Deterministic uniform noise in ±GAP_NOISE_AMPLITUDE (a linear congruential generator): the same input gives the same bytes. */
function noiseSource(): () => number {
  let seed = 0x2545f491;
  return () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return Math.round(((seed / 0x100000000) * 2 - 1) * GAP_NOISE_AMPLITUDE);
  };
}

/** The piece a condensed time falls in, or the one before the gap it falls in (the first before any). */
function pieceAt(pieces: CondensedPiece[], t: number): CondensedPiece | undefined {
  let piece = pieces[0];
  for (const p of pieces) {
    if (p.condensedStartS <= t) piece = p;
    else break;
  }
  return piece;
}

/** A time in the condensed recording back to the source: inside a piece, or clamped to the end of the one before a gap. */
export function toSourceTime(pieces: CondensedPiece[], t: number): number {
  const piece = pieceAt(pieces, t);
  if (!piece) return t;
  return round3(Math.min(piece.sourceEndS, Math.max(piece.sourceStartS, piece.sourceStartS + (t - piece.condensedStartS))));
}

/**
 * Segments decoded from the condensed recording, with source times, and without words below
 * `minConfidence`, words in the warm-up, or any word of a region whose words are all scored below
 * `minRegionConfidence` (what the recogniser made of music or noise the VAD let through).
 */
export function restoreSegments(segments: TranscriptSegment[], pieces: CondensedPiece[], minConfidence: number, minRegionConfidence = 0): TranscriptSegment[] {
  const warmup = pieces.find((p) => p.warmup);
  const next = pieces.find((p) => !p.warmup);
  // Half-way through the gap after the warm-up: a word starting before it was heard in the warm-up.
  const warmupEndS = warmup && next ? (warmup.condensedStartS + warmup.sourceEndS - warmup.sourceStartS + next.condensedStartS) / 2 : -Infinity;
  const spoken = pieces.filter((p) => !p.warmup);
  const heard = segments.flatMap((s) => s.words).filter((w) => w.startS >= warmupEndS);
  const doubtful = new Set<CondensedPiece | undefined>(
    spoken.filter((p) => {
      const inRegion = heard.filter((w) => pieceAt(spoken, w.startS) === p);
      return inRegion.length > 0 && inRegion.every((w) => w.confidence !== null && w.confidence < minRegionConfidence);
    }),
  );
  return segments.flatMap((segment) => {
    const words: TranscriptWord[] = segment.words
      .filter((w) => w.startS >= warmupEndS && !doubtful.has(pieceAt(spoken, w.startS)))
      .filter((w) => w.confidence === null || w.confidence >= minConfidence)
      .map((w) => {
        const startS = toSourceTime(spoken, w.startS);
        return {
          ...w,
          startS,
          endS: Math.max(startS, toSourceTime(spoken, w.endS)),
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
