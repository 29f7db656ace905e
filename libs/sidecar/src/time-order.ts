/** Seconds rounded to whole milliseconds: the precision of every time in the sidecar and its subtitles. */
export function roundToMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** Earlier start first; on a tie, earlier end. */
export function byTime(a: { startS: number; endS: number }, b: { startS: number; endS: number }): number {
  return a.startS - b.startS || a.endS - b.endS;
}
