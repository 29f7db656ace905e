import { DeniedAuthTally } from './denied-auth-tally';

describe('DeniedAuthTally', () => {
  it('records the first refusal per address and window, and counts the rest for the summary', () => {
    const tally = new DeniedAuthTally(60_000);
    expect(tally.note('1.1.1.1', 0)).toBe(true);
    expect(tally.note('1.1.1.1', 10)).toBe(false);
    expect(tally.note('1.1.1.1', 20)).toBe(false);
    expect(tally.note('2.2.2.2', 30)).toBe(true);
    expect(tally.drain(59_000)).toEqual([]);
    expect(tally.drain(60_000)).toEqual([{ ip: '1.1.1.1', count: 2 }]);
    expect(tally.note('1.1.1.1', 60_001)).toBe(true);
    expect(tally.note('1.1.1.1', 60_002)).toBe(false);
    expect(tally.drain(60_003, true)).toEqual([{ ip: '1.1.1.1', count: 1 }]);
  });
});
