import type { ModerationScores } from '../engine-types';

export type ContentRatingLevel = 'safe' | 'questionable' | 'explicit';

export interface ModerationThresholds {
  /** porn + hentai at or above this: explicit. */
  explicit: number;
  /** porn + hentai + sexy at or above this (and not explicit): questionable. */
  questionable: number;
}

const ORDER: readonly ContentRatingLevel[] = ['safe', 'questionable', 'explicit'];

/** One picture's rating from the classifier's scores. */
export function contentRating(s: ModerationScores, t: ModerationThresholds): ContentRatingLevel {
  if (s.porn + s.hentai >= t.explicit) return 'explicit';
  if (s.porn + s.hentai + s.sexy >= t.questionable) return 'questionable';
  return 'safe';
}

/** The strictest of several ratings (a scene's frames, a video's scenes); null when there are none. */
export function worstRating(ratings: readonly ContentRatingLevel[]): ContentRatingLevel | null {
  if (!ratings.length) return null;
  return ratings.reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a));
}

/** Per class the highest score over several pictures. */
export function maxScores(all: readonly ModerationScores[]): ModerationScores {
  const out: ModerationScores = { drawing: 0, hentai: 0, neutral: 0, porn: 0, sexy: 0 };
  for (const s of all) for (const k of Object.keys(out) as (keyof ModerationScores)[]) out[k] = Math.max(out[k], s[k]);
  return out;
}
