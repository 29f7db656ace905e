import type { AppConfig } from '@heimdex/config';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Availability } from '../engine-types';
import { engineCpuSink } from './engine-cpu';
import type { EngineLoaderName, EngineOf } from './engine-loaders';
import { CallMessage, EngineThreadData, ReadyMessage, ResultMessage, transferableArgs } from './engine-thread-protocol';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  addCpu: ((cpuS: number) => void) | undefined;
}

const CLOSE_WAIT_MS = 60_000;

/** The repository root when this file runs from its TypeScript source (libs/ml/src/threads). */
const SOURCE_ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * The compiled entry beside this file. Running from the TypeScript sources (ts-jest, ts-node), only
 * the .ts is here: then the build of those same sources that `npm test` made just before
 * (scripts/bootstrap.js names its folder in HEIMDEX_FRESH_BUILD), else the .ts through ts-node,
 * which makes each thread load TypeScript and transpile the engine before it can start.
 */
export function threadEntry(dir = __dirname, env: NodeJS.ProcessEnv = process.env): { file: string; execArgv: string[] } {
  const js = join(dir, 'engine-thread-main.js');
  if (existsSync(js)) return { file: js, execArgv: [] };
  const build = env.HEIMDEX_FRESH_BUILD;
  const built = build ? join(build, relative(SOURCE_ROOT, dir), 'engine-thread-main.js') : null;
  if (built && existsSync(built)) return { file: built, execArgv: [] };
  return { file: join(dir, 'engine-thread-main.ts'), execArgv: ['--require', 'ts-node/register/transpile-only'] };
}

/**
 * An engine loaded and run in its own worker thread, named by its loader (engine-loaders.ts):
 * loading and inference stay off the caller's event loop (tfjs on WASM runs synchronously), and
 * engines in different threads run at the same time on different cores. `availability.engine`
 * has the engine's describing properties (model, dims, …) and every method of its class, each
 * forwarded as a message (name + structured-cloned arguments, Buffers transferred as copies);
 * results and errors come back the same way. A thread that dies fails the calls it held and is
 * started again on the next call. Each thread holds its own runtime (a tfjs WASM heap each).
 */
export class EngineThread<N extends EngineLoaderName> {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private nextId = 1;
  private closed = false;
  /** CPU seconds the thread spent loading its engine (null without procfs). */
  loadCpuS: number | null = null;

  private constructor(
    readonly loader: N,
    private readonly config: AppConfig,
  ) {}

  availability!: Availability<EngineOf<N>>;

  static async start<N extends EngineLoaderName>(loader: N, config: AppConfig): Promise<EngineThread<N>> {
    const thread = new EngineThread(loader, config);
    let ready: ReadyMessage;
    try {
      ready = await thread.spawn();
    } catch (err) {
      thread.availability = { available: false, reason: `${loader} engine thread failed to start: ${err instanceof Error ? err.message : String(err)}` };
      return thread;
    }
    if (!ready.available) {
      thread.availability = { available: false, reason: ready.reason };
      await thread.close();
      return thread;
    }
    thread.loadCpuS = ready.loadCpuS;
    const engine: Record<string, unknown> = { ...ready.properties };
    for (const method of ready.methods) engine[method] = (...args: unknown[]) => thread.call(method, args);
    thread.availability = { available: true, engine: engine as EngineOf<N> };
    return thread;
  }

  /** Calls sent and not yet answered. */
  get busy(): number {
    return this.pending.size;
  }

  /** Calls `method` on the engine in the thread; the thread's CPU for it goes to the caller's engineCpuSink. */
  async call(method: string, args: unknown[]): Promise<unknown> {
    if (this.closed) throw new Error(`the ${this.loader} engine thread is closed`);
    const addCpu = engineCpuSink.getStore();
    const worker = this.worker ?? (await this.respawn());
    const id = this.nextId++;
    const { args: sent, transfer } = transferableArgs(args);
    const result = new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, addCpu });
      worker.postMessage({ id, method, args: sent } satisfies CallMessage, transfer);
    });
    this.inFlight.add(result);
    void result.catch(() => undefined).finally(() => this.inFlight.delete(result));
    return result;
  }

  /**
   * Lets the calls in flight finish (up to CLOSE_WAIT_MS) before the thread is terminated:
   * onnxruntime, which the face detector runs on, aborts the whole process when the thread that
   * started a run is terminated during it.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.inFlight.size) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
      await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
      clearTimeout(timer);
    }
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  /** After the thread died: one new thread, however many calls wait for it. */
  private respawn(): Promise<Worker> {
    this.starting ??= this.spawn()
      .then((ready) => {
        if (!ready.available) throw new Error(`the ${this.loader} engine no longer loads: ${ready.reason}`);
        return this.worker!;
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  /** Starts the thread and waits for its ready message. */
  private spawn(): Promise<ReadyMessage> {
    const { file, execArgv } = threadEntry();
    return new Promise<ReadyMessage>((resolve, reject) => {
      const worker = new Worker(file, { workerData: { loader: this.loader, config: this.config } satisfies EngineThreadData, execArgv });
      const onExit = (code: number): void => reject(new Error(`the ${this.loader} engine thread exited with ${code} while loading`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (ready: ReadyMessage) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (ready.available) this.adopt(worker);
        resolve(ready);
      });
    });
  }

  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.on('message', (msg: ResultMessage) => {
      const call = this.pending.get(msg.id);
      if (!call) return;
      this.pending.delete(msg.id);
      if (msg.cpuS !== null) call.addCpu?.(msg.cpuS);
      if (msg.ok) call.resolve(msg.value);
      else call.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name, stack: msg.error.stack }));
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const [id, call] of this.pending) {
        this.pending.delete(id);
        call.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the ${this.loader} engine thread exited with ${code}`)));
  }
}
