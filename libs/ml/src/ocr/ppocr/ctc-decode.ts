/** One line's reading: text, and the mean probability of its characters (0 when none). */
export interface CtcReading {
  text: string;
  confidence: number;
}

/**
 * Greedy CTC decoding of one sequence of class probabilities (steps × classes, row-major): the
 * most likely class per step, repeats collapsed, blanks (class 0) dropped; class k is
 * dictionary[k − 1].
 */
export function ctcGreedyDecode(probs: Float32Array, steps: number, classes: number, dictionary: readonly string[]): CtcReading {
  let text = '';
  let sum = 0;
  let chars = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const offset = t * classes;
    let best = 0;
    let bestP = probs[offset];
    for (let c = 1; c < classes; c++) {
      const p = probs[offset + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dictionary[best - 1] ?? '';
      sum += bestP;
      chars += 1;
    }
    previous = best;
  }
  return { text, confidence: chars ? sum / chars : 0 };
}
