import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what survived its last full collection before it collects
 * again, in percent. Left to itself, V8 let the worker's main heap (about 45 MB live) grow only
 * 10–25% past each collection; while the visual stages run, objects kept across their model
 * calls are promoted steadily, so it collected in full every 0.4 s of indexing (33 times on
 * bench:pipeline's programme), each also costing the background threads that mark concurrently.
 * At 100%, 7 ran over the whole run. The price: each isolate's heap may grow to twice what it keeps.
 */
export const HEAP_GROWING_PERCENT = 100;

/** At the worker's start. V8 reads the flag at each collection, so the engine threads' isolates follow it too. */
export function setHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
