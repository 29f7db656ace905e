import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what survived its last full collection before it collects
 * again, in percent. Left to itself, V8 picks about 10% for the worker's main heap (about 45 MB
 * live), because marking so small a heap is fast next to the main thread's own work; but while
 * the visual stages run, objects kept across their model calls are promoted steadily, so it ran a full collection every 0.4 s
 * of indexing (33 on bench:pipeline's programme), each also costing the background threads that
 * mark concurrently; at 100%, 7 ran over the whole run. The price: each isolate's heap may grow
 * to twice what it keeps.
 */
export const HEAP_GROWING_PERCENT = 100;

/** Before anything else starts: the engine threads' isolates, started later, follow it too. */
export function setHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
