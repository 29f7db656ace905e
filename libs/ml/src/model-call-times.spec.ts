import { callTimesNote, median, ModelCallTimes } from './model-call-times';

describe('model call times for stage notes', () => {
  it('takes the median, the middle two averaged for an even count', () => {
    expect(median([])).toBe(0);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('shares a call among its units and skips calls with none', async () => {
    const times = new ModelCallTimes();
    expect(times.perUnit('face')).toBeNull();
    times.add(300, 3);
    times.add(999, 0);
    times.add(40);
    expect(times.perUnit('face')).toBe('70 ms/face');
    expect(
      await times.time(
        () => Promise.resolve('x'),
        () => 0,
      ),
    ).toBe('x');
    expect(times.perUnit('face')).toBe('70 ms/face');
  });

  it('names only the calls that ran', () => {
    expect(callTimesNote([['gate', null]])).toBe('no model calls');
    expect(
      callTimesNote([
        ['gate', null],
        ['detector', '12 ms/frame'],
        ['descriptor', '3 ms/face'],
      ]),
    ).toBe('median wall per call: detector 12 ms/frame, descriptor 3 ms/face');
  });
});
