/**
 * The queue store (Redis, through BullMQ) did not answer. BullMQ's Queue connections keep
 * ioredis' offline queue (dropping it breaks their reconnection), so a call made while Redis is
 * away or frozen waits for it to come back; callers on a request path bound it with `withTimeout`.
 */
export class QueueStoreUnavailableError extends Error {
  constructor(detail: string) {
    super(`queue store unavailable: ${detail}`);
    this.name = 'QueueStoreUnavailableError';
  }
}

/** Settles like `work`, or rejects with QueueStoreUnavailableError when it has not within `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new QueueStoreUnavailableError(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
