import type { AppConfig } from '@heimdex/config';
import type { Availability } from '../engine-types';
import type { EngineLoaderName, EngineOf } from './engine-loaders';
import { EngineThread } from './engine-thread';

/**
 * The same engine loaded in `size` threads, offered as one engine: each call goes to the thread
 * with the fewest calls waiting, so independent callers (e.g. two scenes read at once) run on
 * different cores. Available when every thread loaded; otherwise the first reason, and none is kept.
 */
export class EnginePool<N extends EngineLoaderName> {
  private constructor(
    readonly threads: readonly EngineThread<N>[],
    readonly availability: Availability<EngineOf<N>>,
  ) {}

  static async start<N extends EngineLoaderName>(loader: N, config: AppConfig, size: number): Promise<EnginePool<N>> {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`an engine pool needs at least one thread, got ${size}`);
    const threads = await Promise.all(Array.from({ length: size }, () => EngineThread.start(loader, config)));
    const failed = threads.find((t) => !t.availability.available);
    if (failed) {
      await Promise.all(threads.map((t) => t.close()));
      return new EnginePool<N>([], failed.availability);
    }
    const first = threads[0].availability as { available: true; engine: EngineOf<N> };
    if (size === 1) return new EnginePool(threads, first);
    const engine: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(first.engine as Record<string, unknown>)) {
      engine[key] = typeof value === 'function' ? (...args: unknown[]) => threads.reduce((a, b) => (b.busy < a.busy ? b : a)).call(key, args) : value;
    }
    return new EnginePool(threads, { available: true, engine: engine as EngineOf<N> });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
