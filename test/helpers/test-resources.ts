/**
 * What a test file starts (databases, apps, worker processes) is owned here as it is created, so
 * it is closed when the file finishes even when the start that made it was abandoned: a
 * `beforeAll` that times out leaves its start running, Jest moves on, and without this the start
 * would finish after the test environment was torn down and leave a worker looping on a Redis
 * client it can no longer load, starving every later suite.
 *
 * The test environment (onnx-test-environment.ts) calls `closeTestFileResources` when the file's
 * tests and hooks have run, before it tears the module registry down.
 */

type Closer = () => Promise<void> | void;

/** Thrown into a start that finished a step after its test file had already finished. */
export class AbandonedStartError extends Error {}

/** Resources of one start, closed in reverse order of creation; once closed, whatever it still creates is closed at once. */
export class TestResources {
  private readonly closers: { name: string; close: Closer }[] = [];
  private finished = false;
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly label: string) {
    live.add(this);
  }

  /** Awaits `made` and owns it; if the file finished meanwhile, closes everything and stops the start. */
  async own<T>(name: string, made: Promise<T> | T, close: (value: T) => Promise<void> | void): Promise<T> {
    const value = await made;
    this.closers.push({ name, close: () => close(value) });
    this.assertLive();
    return value;
  }

  /** Registers something already running (a child process) to be closed with the rest. */
  onClose(name: string, close: Closer): void {
    this.closers.push({ name, close });
  }

  /** Stops a start between steps once its file has finished (closing what it made so far). */
  assertLive(): void {
    if (!this.finished) return;
    void this.close();
    throw new AbandonedStartError(`${this.label}: abandoned, its test file already finished`);
  }

  /** Marks the file finished without closing anything yet: the start stops, and closes what it made, at its next step. */
  abandon(): void {
    this.finished = true;
  }

  /** Idempotent; concurrent callers wait for the same teardown. A failing step is logged and the rest still close. */
  close(): Promise<void> {
    this.finished = true;
    this.closing = this.closing.then(() => this.drain());
    return this.closing;
  }

  private async drain(): Promise<void> {
    for (let c = this.closers.pop(); c; c = this.closers.pop()) {
      try {
        await c.close();
      } catch (err) {
        console.warn(`${this.label}: closing ${c.name} failed: ${String(err)}`);
      }
    }
    live.delete(this);
  }
}

const live = new Set<TestResources>();
const starts = new Set<Promise<unknown>>();

/** Tracks a start so the end of the file waits for it to settle (and close itself) before the environment goes. */
export function trackStart<T>(start: Promise<T>): Promise<T> {
  const settled = start.then(
    () => undefined,
    () => undefined,
  );
  starts.add(settled);
  void settled.then(() => starts.delete(settled));
  return start;
}

/** How long the end of a file waits for its resources to close and abandoned starts to settle; then it goes on regardless. */
const SETTLE_LIMIT_MS = 5 * 60_000;
/**
 * How long abandoned starts may finish the step they are in before their resources are closed
 * under them. Closing a database while an app is being created on it fails that creation half-way,
 * and Nest leaves what it had made by then (Redis clients) open, so Jest never exits.
 */
const STEP_GRACE_MS = 60_000;

/** Closes everything still open and waits for abandoned starts to close what they make (bounded: a close that hangs must not hang the run). */
export async function closeTestFileResources(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), SETTLE_LIMIT_MS)));
  const settle = async (): Promise<void> => {
    for (const r of live) r.abandon();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(starts), new Promise((r) => (grace = setTimeout(r, STEP_GRACE_MS)))]);
    clearTimeout(grace);
    do {
      await Promise.all([...live].map((r) => r.close()));
      await Promise.all(starts);
    } while (live.size > 0 || starts.size > 0);
  };
  const outcome = await Promise.race([settle(), limit]);
  clearTimeout(timer);
  if (outcome === 'late')
    console.warn(
      `test resources still closing after ${SETTLE_LIMIT_MS / 1000} s (${live.size} open, ${starts.size} start(s) running); the file ends without them`,
    );
}

/** The environment finds the hook here: it runs outside the test's module registry. */
export const CLOSE_HOOK = '__heimdexCloseTestFileResources';
(globalThis as Record<string, unknown>)[CLOSE_HOOK] = closeTestFileResources;
