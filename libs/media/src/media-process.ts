import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * Bounds for one ffmpeg/ffprobe child. Every media child goes through runMediaProcess, so a
 * hostile or pathological file costs at most `memoryMb` of address space and `timeoutMs` of
 * wall clock, and a cancelled stage (video deleted, run replaced) kills its children at once.
 */
export interface MediaRunLimits {
  /** Address-space limit (RLIMIT_AS, `ulimit -v`) of the child; null: unlimited. */
  memoryMb: number | null;
  /** Wall clock; on expiry the child's whole process group is SIGKILLed. null: none. */
  timeoutMs: number | null;
  /** Aborting kills the child's process group and rejects with MediaCancelledError. */
  signal?: AbortSignal;
}

export interface MediaRunOptions {
  /** What the child does, for errors and the registry: "scene detection", "ffprobe"... */
  label: string;
  limits?: MediaRunLimits;
  /** Called with each stderr line as it arrives. */
  onStderrLine?: (line: string) => void;
  /** Keep stdout (ffprobe's JSON); otherwise it is discarded. */
  captureStdout?: boolean;
  /** Hands stdout to the caller as a stream (raw frames), at spawn; it is then not captured. */
  onStdout?: (stdout: Readable) => void;
}

export interface MediaRunResult {
  stdout: string;
  /** The last stderr lines (at most 50). */
  stderr: string[];
}

/** The child exceeded its memory or time bound: retrying the same input cannot help. */
export class MediaLimitError extends Error {
  override readonly name = 'MediaLimitError';
  constructor(
    readonly limit: 'memory' | 'time',
    message: string,
  ) {
    super(message);
  }
}

/** The child was killed because its caller aborted (the video was deleted or its run replaced). */
export class MediaCancelledError extends Error {
  override readonly name = 'MediaCancelledError';
}

export interface RunningMediaProcess {
  pid: number;
  label: string;
  args: readonly string[];
}

const running = new Map<number, RunningMediaProcess>();

/** The media children this process has running now (tests and diagnostics). */
export function runningMediaProcesses(): RunningMediaProcess[] {
  return [...running.values()];
}

// What ffmpeg and the loader print when an allocation, a thread or a library mapping is refused under RLIMIT_AS.
const MEMORY_FAILURE =
  /cannot allocate memory|could not allocate|out of memory|std::bad_alloc|failed to allocate|get_buffer\(\) failed|resource temporarily unavailable|failed to map segment/i;
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGKILL']);
/** The same crashes as exit codes (128 + signal), as `timeout` reports them. */
const CRASH_CODES = new Set([134, 135, 137, 139]);

/**
 * Spawns `file args` in its own process group, under `ulimit -v` (through /bin/sh, present in
 * every image, unlike prlimit) with glibc's per-thread malloc arenas capped so the address-space
 * limit measures memory rather than reservations. Resolves on exit code 0; rejects with
 * MediaLimitError, MediaCancelledError, or an Error naming the first meaningful stderr line.
 */
export function runMediaProcess(file: string, args: readonly string[], opts: MediaRunOptions): Promise<MediaRunResult> {
  const limits = opts.limits ?? { memoryMb: null, timeoutMs: null };
  if (limits.signal?.aborted) return Promise.reject(new MediaCancelledError(`${opts.label} cancelled before it started`));
  const memoryKb = limits.memoryMb ? Math.round(limits.memoryMb * 1024) : null;
  // coreutils' timeout is a backstop that outlives this process: a SIGKILLed worker's children
  // are orphaned and would otherwise run unbounded in time. The timer below normally fires first.
  const backstopS = limits.timeoutMs ? Math.ceil(limits.timeoutMs / 1000) + 10 : null;
  const inner = backstopS ? ['timeout', '-s', 'KILL', `${backstopS}s`, file, ...args] : [file, ...args];
  const [cmd, argv] = memoryKb ? ['/bin/sh', ['-c', 'ulimit -v "$0" && exec "$@"', String(memoryKb), ...inner]] : [inner[0], inner.slice(1)];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      detached: true,
      stdio: ['ignore', opts.captureStdout || opts.onStdout ? 'pipe' : 'ignore', 'pipe'],
      env: { ...process.env, MALLOC_ARENA_MAX: '2' },
    });
    const pid = child.pid;
    const stderr: string[] = [];
    const stdout: Buffer[] = [];
    let partial = '';
    let killedFor: 'time' | 'cancel' | null = null;
    const killGroup = (why: 'time' | 'cancel') => {
      killedFor ??= why;
      if (pid === undefined) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = limits.timeoutMs ? setTimeout(() => killGroup('time'), limits.timeoutMs) : null;
    const onAbort = () => killGroup('cancel');
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    if (pid !== undefined) running.set(pid, { pid, label: opts.label, args });

    const line = (text: string) => {
      stderr.push(text);
      if (stderr.length > 50) stderr.shift();
      opts.onStderrLine?.(text);
    };
    if (opts.onStdout && child.stdout) opts.onStdout(child.stdout);
    else child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n|\r/);
      partial = parts.pop() ?? '';
      parts.forEach(line);
    });
    child.on('error', (err) => finish(() => reject(new Error(`${opts.label} could not start: ${err.message}`))));
    child.on('close', (code, signal) => {
      if (partial) line(partial);
      finish(() => {
        if (killedFor === 'cancel') return reject(new MediaCancelledError(`${opts.label} was cancelled`));
        if (killedFor === 'time') {
          return reject(new MediaLimitError('time', `${opts.label} ran past its ${Math.round(limits.timeoutMs! / 1000)} s time limit and was killed`));
        }
        if (code === 0) return resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr });
        const crashed = (signal && CRASH_SIGNALS.has(signal)) || (code !== null && CRASH_CODES.has(code));
        if (memoryKb && (stderr.some((l) => MEMORY_FAILURE.test(l)) || crashed)) {
          return reject(new MediaLimitError('memory', `${opts.label} exceeded its ${limits.memoryMb} MB memory limit and was stopped`));
        }
        reject(new Error(`${opts.label} failed: ${firstMeaningfulLine(stderr, code, signal)}`));
      });
    });

    let done = false;
    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) {
        running.delete(pid);
        // Anything the child left in its group (it should leave nothing) goes with it.
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // the group is empty
        }
      }
      settle();
    }
  });
}

/** The first stderr line that says what went wrong, without ffmpeg's banner noise. */
export function firstMeaningfulLine(lines: readonly string[], code?: number | null, signal?: string | null): string {
  const meaningful = lines.map((l) => l.trim()).filter((l) => l && !/^(ffmpeg|ffprobe) version|^built with|^configuration:|^lib\w+\s/.test(l));
  const pick = meaningful.find((l) => /error|invalid|no such|not found|unknown|failed|corrupt/i.test(l)) ?? meaningful[0];
  return (pick ?? (signal ? `killed by ${signal}` : `exit code ${code ?? 'unknown'}`)).slice(0, 300);
}
