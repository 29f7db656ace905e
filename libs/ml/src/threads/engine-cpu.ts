import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where the CPU an engine thread spent on a call is reported: the caller runs its work inside
 * `engineCpuSink.run(add, …)` (the worker's stage meter does), and every engine-thread call made
 * from that async context adds its thread's CPU seconds to it.
 */
export const engineCpuSink = new AsyncLocalStorage<(cpuS: number) => void>();
