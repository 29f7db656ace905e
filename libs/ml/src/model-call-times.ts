/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Wall times of a model's calls, for a stage note: "<median> ms/<unit>", or null when it never ran.
 * Wall, not CPU: under load it includes waiting for a core, as the stage itself does.
 */
export class ModelCallTimes {
  private readonly ms: number[] = [];

  /** Runs `call` and records its time, shared among `units` (e.g. the faces it described; 0 records nothing). */
  async time<T>(call: () => Promise<T>, units: (result: T) => number = () => 1): Promise<T> {
    const t0 = performance.now();
    const result = await call();
    this.add(performance.now() - t0, units(result));
    return result;
  }

  add(ms: number, units = 1): void {
    if (units > 0) this.ms.push(ms / units);
  }

  perUnit(unit: string): string | null {
    return this.ms.length ? `${Math.round(median(this.ms))} ms/${unit}` : null;
  }
}

/** "median wall per call: <label> <n> ms/<unit>, ..." over the entries that ran, for a stage note. */
export function callTimesNote(entries: readonly (readonly [label: string, perUnit: string | null])[]): string {
  const ran = entries.filter((e): e is readonly [string, string] => e[1] !== null);
  return ran.length ? `median wall per call: ${ran.map(([label, t]) => `${label} ${t}`).join(', ')}` : 'no model calls';
}
