/** Seconds rounded to whole milliseconds: the precision of every time this library reports. */
export function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
