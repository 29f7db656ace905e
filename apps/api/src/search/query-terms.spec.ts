import { fuzzyTerms, hasWord } from './query-terms';

describe('query terms', () => {
  it('finds words in any script, not in punctuation', () => {
    expect(hasWord('!!! ???')).toBe(false);
    expect(hasWord('"')).toBe(false);
    expect(hasWord('Straße')).toBe(true);
    expect(hasWord('東京')).toBe(true);
  });

  it('takes fuzzy terms from plain queries only, lowercased and unique', () => {
    expect(fuzzyTerms('Quartely Salse quartely ab')).toEqual(['quartely', 'salse']);
    expect(fuzzyTerms("don't; drop table scenes")).toEqual(['don', 'drop', 'table', 'scenes']);
    expect(fuzzyTerms('"quartely salse"')).toEqual([]);
    expect(fuzzyTerms('quartely OR salse')).toEqual([]);
    expect(fuzzyTerms('quartely -salse')).toEqual([]);
  });
});
