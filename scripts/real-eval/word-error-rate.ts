/** Lower case, digits and letters only, apostrophes kept inside words: how reference and hypothesis are compared. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9'\s-]+/g, ' ')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/** Word-level edit distance (substitutions + insertions + deletions). */
export function wordEdits(reference: string[], hypothesis: string[]): number {
  let prev = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const row = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[hypothesis.length];
}

/** Corpus WER: total edits over total reference words. */
export function corpusWer(pairs: { reference: string; hypothesis: string }[]): number {
  let edits = 0;
  let words = 0;
  for (const { reference, hypothesis } of pairs) {
    const ref = normaliseWords(reference);
    edits += wordEdits(ref, normaliseWords(hypothesis));
    words += ref.length;
  }
  return words ? edits / words : 0;
}
