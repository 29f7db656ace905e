import type { ChildProcess } from 'node:child_process';

export interface SupervisorOptions {
  /** "api", "worker": used in every message. */
  name: string;
  /** Starts a fresh child (fork/spawn). */
  start: () => ChildProcess;
  log: (message: string) => void;
  /** First restart delay, doubled after each crash up to maxDelayMs (default 1 s → 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A child that ran this long without crashing resets the delay (default 60 s). */
  stableAfterMs?: number;
  /** This many crashes within crashLoopWindowMs is reported as a crash loop (default 5 in 60 s). */
  crashLoopCrashes?: number;
  crashLoopWindowMs?: number;
  /** Called each time a restart is scheduled (tests, status lines). */
  onRestartScheduled?: (delayMs: number, crashLoop: boolean) => void;
}

/**
 * Keeps one child process running: a child that exits without being asked to is started again
 * after an exponential backoff, and repeated crashes are reported loudly as a crash loop (the
 * backoff keeps growing; nothing gives up, since a dependency coming back fixes most loops).
 */
export class ProcessSupervisor {
  private current: ChildProcess | null = null;
  private stopping = false;
  private consecutive = 0;
  private crashes: number[] = [];
  private restartTimer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private readonly o: Required<Omit<SupervisorOptions, 'onRestartScheduled'>> & Pick<SupervisorOptions, 'onRestartScheduled'>;

  constructor(opts: SupervisorOptions) {
    this.o = { initialDelayMs: 1000, maxDelayMs: 30_000, stableAfterMs: 60_000, crashLoopCrashes: 5, crashLoopWindowMs: 60_000, ...opts };
  }

  get child(): ChildProcess | null {
    return this.current;
  }

  /** Crashes so far (restarts scheduled). */
  get crashCount(): number {
    return this.crashes.length;
  }

  start(): void {
    if (this.stopping) return;
    const child = this.o.start();
    this.current = child;
    this.startedAt = Date.now();
    this.o.log(`${this.o.name} started (pid ${child.pid})`);
    child.once('exit', (code, signal) => {
      if (this.current === child) this.current = null;
      if (!this.stopping) this.crashed(code, signal);
    });
  }

  /** Stops the child (SIGTERM, then SIGKILL after timeoutMs) and cancels any pending restart. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.current;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private crashed(code: number | null, signal: NodeJS.Signals | null): void {
    const now = Date.now();
    if (now - this.startedAt >= this.o.stableAfterMs) this.consecutive = 0;
    this.consecutive += 1;
    this.crashes.push(now);
    const recent = this.crashes.filter((t) => now - t <= this.o.crashLoopWindowMs).length;
    const delay = Math.min(this.o.maxDelayMs, this.o.initialDelayMs * 2 ** (this.consecutive - 1));
    const loop = recent >= this.o.crashLoopCrashes;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    this.o.log(`${this.o.name} exited unexpectedly (${how}); restarting in ${(delay / 1000).toFixed(1)} s`);
    if (loop) {
      this.o.log(
        `!!! ${this.o.name} is in a crash loop: ${recent} crashes in the last ${Math.round(this.o.crashLoopWindowMs / 1000)} s. ` +
          `Its log above says why; still restarting, with backoff up to ${Math.round(this.o.maxDelayMs / 1000)} s. !!!`,
      );
    }
    this.o.onRestartScheduled?.(delay, loop);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, delay);
  }
}
