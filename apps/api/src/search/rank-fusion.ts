import { ALL_MODES, SearchMode } from './search-mode';

/** Keys of a hit's `scores`: the API's signals, plus `text` (semantic text similarity) and `title` (the video's title or description matched). */
export type ScoreKey = 'transcript' | 'ocr' | 'visual' | 'person' | 'tag' | 'object' | 'text' | 'title';
export type Scores = Partial<Record<ScoreKey, number>>;

/** Where a scene is, for ordering by date and for the response. */
export interface SceneRef {
  sceneId: string;
  videoId: string;
  startS: number;
  videoCreatedAt: Date;
}

export interface SignalHit extends SceneRef {
  scores: Scores;
  matchedBy: SearchMode[];
}

/** One signal's hits, best first. */
export type RankedList = readonly SignalHit[];

export interface FusedHit extends SceneRef {
  score: number;
  scores: Scores;
  matchedBy: SearchMode[];
}

/**
 * Reciprocal Rank Fusion: a scene scores Σ 1 / (k + rank) over the lists it is in (rank from 1).
 * Ranks, not raw scores, are added, so lists on different scales (ts_rank, cosine similarity,
 * face confidence) combine without calibration, and a scene found by several signals rises.
 * Ties go to the smaller scene id, so the same lists always give the same order.
 */
export function fuseByReciprocalRank(lists: readonly RankedList[], k: number): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  for (const list of lists) {
    list.forEach((hit, i) => {
      const into = fused.get(hit.sceneId) ?? { ...hit, score: 0, scores: {}, matchedBy: [] };
      into.score += 1 / (k + i + 1);
      for (const [key, value] of Object.entries(hit.scores) as [ScoreKey, number][]) into.scores[key] = Math.max(into.scores[key] ?? -Infinity, value);
      into.matchedBy = ALL_MODES.filter((m) => into.matchedBy.includes(m) || hit.matchedBy.includes(m));
      fused.set(hit.sceneId, into);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || compareIds(a.sceneId, b.sceneId));
}

/** Newest video first, then scenes in the order they play. */
export function sortByDate(hits: readonly FusedHit[]): FusedHit[] {
  return [...hits].sort(
    (a, b) =>
      b.videoCreatedAt.getTime() - a.videoCreatedAt.getTime() || compareIds(b.videoId, a.videoId) || a.startS - b.startS || compareIds(a.sceneId, b.sceneId),
  );
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
