import { parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '@heimdex/config';
import { errorMessage } from '../faces/error-message';
import { ENGINE_LOADERS, isEngineLoaderName } from './engine-loaders';
import { CallMessage, describingProperties, EngineThreadData, methodNames, ReadyMessage, ResultMessage, revivedArgs } from './engine-thread-protocol';
import { threadCpuS } from './thread-cpu';

/**
 * Inside an engine thread: loads the engine named by workerData.loader, says what it offers,
 * then runs the calls it is sent one at a time (the tfjs engines serialise on their global
 * runtime anyway, and one at a time makes each call's thread CPU its own).
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('engine-thread-main runs only as a worker thread');
  const { loader, config } = workerData as EngineThreadData;
  const before = threadCpuS();
  const loaded = isEngineLoaderName(loader)
    ? await ENGINE_LOADERS[loader](config as AppConfig).catch((err: unknown) => ({ available: false as const, reason: errorMessage(err) }))
    : { available: false as const, reason: `no engine loader named ${loader}` };
  if (!loaded.available) {
    port.postMessage({ type: 'ready', available: false, reason: loaded.reason } satisfies ReadyMessage);
    return;
  }
  const engine = loaded.engine as unknown as Record<string, (...args: unknown[]) => unknown>;
  const after = threadCpuS();
  port.postMessage({
    type: 'ready',
    available: true,
    properties: describingProperties(engine),
    methods: methodNames(engine),
    loadCpuS: before === null || after === null ? null : after - before,
  } satisfies ReadyMessage);

  let tail: Promise<void> = Promise.resolve();
  port.on('message', (call: CallMessage) => {
    tail = tail.then(async () => {
      const start = threadCpuS();
      const cpu = (): number | null => {
        const end = threadCpuS();
        return start === null || end === null ? null : end - start;
      };
      try {
        if (typeof engine[call.method] !== 'function') throw new Error(`the ${loader} engine has no method ${call.method}`);
        const value = await engine[call.method](...revivedArgs(call.args));
        port.postMessage({ type: 'result', id: call.id, ok: true, value, cpuS: cpu() } satisfies ResultMessage);
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        port.postMessage({
          type: 'result',
          id: call.id,
          ok: false,
          error: { name: e.name, message: e.message, stack: e.stack },
          cpuS: cpu(),
        } satisfies ResultMessage);
      }
    });
  });
}

void main();
