/**
 * Failed authentication on routes that are not audited otherwise (reads): the first refusal of a
 * client address in a window is recorded at once, the rest of that window are counted and
 * recorded as one summary when the window ends, so a flood of bad tokens costs one event per
 * address per window instead of one per request.
 */
export class DeniedAuthTally {
  private readonly windows = new Map<string, { startedAt: number; more: number }>();

  constructor(private readonly windowMs: number) {}

  /** true: record this refusal now; false: it was counted into the address's window. */
  note(ip: string, now = Date.now()): boolean {
    const w = this.windows.get(ip);
    if (w && now - w.startedAt < this.windowMs) {
      w.more += 1;
      return false;
    }
    this.windows.set(ip, { startedAt: now, more: 0 });
    return true;
  }

  /** Closes the windows that have ended; returns the addresses with refusals not yet recorded. */
  drain(now = Date.now(), all = false): { ip: string; count: number }[] {
    const out: { ip: string; count: number }[] = [];
    for (const [ip, w] of this.windows) {
      if (!all && now - w.startedAt < this.windowMs) continue;
      this.windows.delete(ip);
      if (w.more > 0) out.push({ ip, count: w.more });
    }
    return out;
  }
}
