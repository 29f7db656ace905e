/** Messages between an EngineThread (main side) and engine-thread-main (in the thread). */

export interface EngineThreadData {
  loader: string;
  /** The worker's AppConfig, structured-cloned. */
  config: unknown;
}

/** Posted once by the thread after its loader ran. */
export type ReadyMessage =
  | { type: 'ready'; available: true; properties: Record<string, unknown>; methods: string[]; loadCpuS: number | null }
  | { type: 'ready'; available: false; reason: string };

export interface CallMessage {
  id: number;
  method: string;
  args: unknown[];
}

export type ResultMessage =
  | { type: 'result'; id: number; ok: true; value: unknown; cpuS: number | null }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string; stack?: string }; cpuS: number | null };

/**
 * Copies of the Buffers among `args` (top level, inside arrays and plain objects such as an RGB
 * image's `data`), each on its own ArrayBuffer
 * so it can be transferred rather than cloned; the caller's Buffers stay usable (a Buffer may
 * be a slice of Node's shared pool, and stages keep their frames after the call).
 */
export function transferableArgs(args: unknown[]): { args: unknown[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const copy = (value: unknown): unknown => {
    if (value instanceof Uint8Array) {
      const own = new Uint8Array(value.byteLength);
      own.set(value);
      transfer.push(own.buffer);
      return own;
    }
    return mapContainer(value, copy);
  };
  return { args: args.map(copy), transfer };
}

/** Uint8Arrays that arrived in a call back as Buffers (the engines read encoded images through sharp and Buffer APIs). */
export function revivedArgs(args: unknown[]): unknown[] {
  const revive = (value: unknown): unknown => {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return mapContainer(value, revive);
  };
  return args.map(revive);
}

/** `f` over an array's items or a plain object's values; anything else as it is. */
function mapContainer(value: unknown, f: (v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map(f);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, f(v)]));
  return value;
}

/** The engine's data properties that describe it (model, dims, thresholds): primitives and plain objects of primitives. */
export function describingProperties(engine: object): Record<string, unknown> {
  const isPrimitive = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(engine)) {
    if (isPrimitive(value)) out[key] = value;
    else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isPrimitive))
      out[key] = { ...value };
  }
  return out;
}

/** Method names along the engine's prototype chain (its class and the classes it extends). */
export function methodNames(engine: object): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(engine) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return [...names];
}
