/**
 * A pass run at start and then every `everyMs` (0: only at start), never two at once: a tick
 * while a pass runs is dropped. `stop()` clears the timer and waits for the pass under way.
 * Failures go to `onError`; the next tick runs as usual.
 */
export class PeriodicPass {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(everyMs: number): void {
    this.tick();
    if (everyMs > 0) {
      this.timer = setInterval(() => this.tick(), everyMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => (this.running = null));
  }
}
