const FUZZY_TERMS_MAX = 8;

/** Letters or digits anywhere: a query without them (only punctuation) has nothing to look for. */
export function hasWord(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * Words to look for near spellings of, long enough to have trigrams. Only plain queries get typo
 * tolerance: a query with "phrases", OR or -exclusions is taken literally, since near spellings
 * could not honour its operators.
 */
export function fuzzyTerms(text: string): string[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (text.includes('"') || tokens.some((w) => w === 'OR' || w.startsWith('-'))) return [];
  const words = tokens.flatMap((w) => w.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length >= 3);
  return [...new Set(words)].slice(0, FUZZY_TERMS_MAX);
}
