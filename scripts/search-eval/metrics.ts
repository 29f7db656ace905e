/**
 * Retrieval metrics over queries whose relevant scenes are known. `rank` is the 1-based position
 * of the first relevant result, null when none was returned. recall@k is the share of queries
 * with a relevant result in the top k (every query here has one target scene or a small set of
 * equally good ones, so this is recall of the target); MRR is the mean of 1/rank (0 when missed).
 */
export interface Metrics {
  queries: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

export function metrics(ranks: readonly (number | null)[]): Metrics {
  const n = ranks.length;
  const share = (k: number) => (n ? ranks.filter((r) => r !== null && r <= k).length / n : 0);
  return { queries: n, recallAt1: share(1), recallAt5: share(5), mrr: n ? ranks.reduce<number>((a, r) => a + (r ? 1 / r : 0), 0) / n : 0 };
}

/** 1-based position of the first result that `isRelevant` accepts. */
export function firstRelevantRank<T>(results: readonly T[], isRelevant: (r: T) => boolean): number | null {
  const i = results.findIndex(isRelevant);
  return i < 0 ? null : i + 1;
}
