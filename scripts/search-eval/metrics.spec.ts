import { firstRelevantRank, metrics } from './metrics';

describe('search eval metrics', () => {
  it('recall@1, recall@5 and MRR', () => {
    expect(metrics([1, 2, null, 6])).toEqual({ queries: 4, recallAt1: 0.25, recallAt5: 0.5, mrr: (1 + 1 / 2 + 0 + 1 / 6) / 4 });
    expect(metrics([])).toEqual({ queries: 0, recallAt1: 0, recallAt5: 0, mrr: 0 });
  });

  it('ranks the first relevant result from 1', () => {
    expect(firstRelevantRank(['a', 'b', 'c'], (x) => x === 'b')).toBe(2);
    expect(firstRelevantRank(['a'], (x) => x === 'z')).toBeNull();
  });
});
