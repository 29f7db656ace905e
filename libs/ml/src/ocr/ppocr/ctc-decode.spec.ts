import { ctcGreedyDecode } from './ctc-decode';

const DICT = ['a', 'b', ' '];

/** One row per step: the class that wins, at probability p (the rest shared). */
function steps(winners: [number, number][]): Float32Array {
  const classes = DICT.length + 1;
  const out = new Float32Array(winners.length * classes);
  winners.forEach(([c, p], t) => {
    for (let k = 0; k < classes; k++) out[t * classes + k] = k === c ? p : (1 - p) / (classes - 1);
  });
  return out;
}

describe('ctcGreedyDecode', () => {
  it('collapses repeats, drops blanks, keeps a repeat split by a blank, and averages the kept characters’ probabilities', () => {
    const probs = steps([
      [1, 0.9],
      [1, 0.8],
      [0, 0.99],
      [1, 0.7],
      [3, 0.6],
      [2, 1],
      [0, 0.9],
    ]);
    const r = ctcGreedyDecode(probs, 7, 4, DICT);
    expect(r.text).toBe('aa b');
    expect(r.confidence).toBeCloseTo((0.9 + 0.7 + 0.6 + 1) / 4, 5);
  });

  it('reads nothing with confidence 0 from blanks only', () => {
    expect(
      ctcGreedyDecode(
        steps([
          [0, 0.9],
          [0, 0.9],
        ]),
        2,
        4,
        DICT,
      ),
    ).toEqual({ text: '', confidence: 0 });
  });
});
