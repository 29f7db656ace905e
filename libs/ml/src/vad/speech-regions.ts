/** A stretch of a recording judged to be speech, in seconds from its start. */
export interface SpeechRegion {
  startS: number;
  endS: number;
}

export interface SpeechRegionOptions {
  /** A frame whose speech probability reaches this opens (or continues) speech. */
  threshold: number;
  /** Speech ends only after probabilities stay below this (hysteresis: threshold − 0.15 in Silero's own code). */
  negThreshold: number;
  /** Shorter bursts are dropped (a cough, a drum hit). */
  minSpeechS: number;
  /** Shorter pauses do not end a region. */
  minSilenceS: number;
  /** Added on both sides so the first and last phonemes are whole. */
  padS: number;
  /**
   * A region is kept only when its frames' mean speech probability reaches this. Silero's frame
   * probabilities on music rise to 0.6–0.86 in bursts (choir, guitar, drum loops) but stay near 1
   * through speech: measured region means were ≤ 0.53 on 12 CC0 music loops and ≥ 0.86 on LJ Speech
   * and GRID (scripts/real-eval, npm run eval:real).
   */
  minMeanProbability: number;
}

export const DEFAULT_SPEECH_REGION_OPTIONS: SpeechRegionOptions = {
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechS: 0.25,
  minSilenceS: 0.3,
  padS: 0.2,
  minMeanProbability: 0.65,
};

/**
 * Regions of speech from per-frame speech probabilities (frame i covers [i·frameS, (i+1)·frameS)),
 * the way Silero's get_speech_timestamps does it: open at `threshold`, close after `minSilenceS`
 * below `negThreshold`, drop regions shorter than `minSpeechS`, pad, merge what the padding joins.
 */
export function speechRegionsFromProbabilities(
  probabilities: ArrayLike<number>,
  frameS: number,
  durationS: number,
  options: SpeechRegionOptions,
): SpeechRegion[] {
  // Frame indices: [first, end).
  const raw: { first: number; end: number }[] = [];
  let first: number | null = null;
  let quietFrom: number | null = null;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (p >= options.threshold) {
      quietFrom = null;
      first ??= i;
    } else if (first !== null && p < options.negThreshold) {
      quietFrom ??= i;
      if ((i + 1 - quietFrom) * frameS >= options.minSilenceS) {
        raw.push({ first, end: quietFrom });
        first = null;
        quietFrom = null;
      }
    }
  }
  if (first !== null) raw.push({ first, end: quietFrom ?? probabilities.length });

  const merged: SpeechRegion[] = [];
  for (const { first: from, end } of raw) {
    if ((end - from) * frameS < options.minSpeechS) continue;
    if (meanOf(probabilities, from, end) < options.minMeanProbability) continue;
    const padded = {
      startS: Math.max(0, from * frameS - options.padS),
      endS: Math.min(durationS, end * frameS + options.padS),
    };
    const last = merged[merged.length - 1];
    if (last && padded.startS <= last.endS) last.endS = Math.max(last.endS, padded.endS);
    else merged.push(padded);
  }
  return merged.map((r) => ({
    startS: round3(r.startS),
    endS: round3(r.endS),
  }));
}

export function totalSeconds(regions: SpeechRegion[]): number {
  return round3(regions.reduce((s, r) => s + r.endS - r.startS, 0));
}

function meanOf(values: ArrayLike<number>, from: number, end: number): number {
  let sum = 0;
  for (let i = from; i < end; i++) sum += values[i];
  return end > from ? sum / (end - from) : 0;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
