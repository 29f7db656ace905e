import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(err: Error): void;
}

/** The parts of pglite-socket 0.2's (unexported) QueryQueueManager this module relies on. */
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  db: PGlite;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** The one place that reaches into pglite-socket's private queue; throws if its shape changed. */
function queryQueueOf(server: PGLiteSocketServer): QueryQueue {
  const q = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== 'function' || typeof q.clearQueueForHandler !== 'function') {
    throw new Error('pglite-socket internals changed: review extended-query-affinity.ts before upgrading it');
  }
  return q;
}

/** Who holds the backend and what is queued, for diagnosing a stuck client. */
export function describeQueryQueue(server: PGLiteSocketServer): string {
  const q = queryQueueOf(server);
  const queued = q.queue.map((m) => `#${m.handlerId}:${String.fromCharCode(m.message[0])}`).join(' ');
  return `${JSON.stringify(server.getStats())} inTransaction=${q.db.isInTransaction()} last=#${q.lastHandlerId} queued=[${queued}]`;
}

/** Extended-protocol messages that leave a sequence open until the client's Sync. */
const OPENS = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
/** Sync, simple Query and Terminate close it. */
const CLOSES = new Set(['S', 'Q', 'X'].map((c) => c.charCodeAt(0)));

/**
 * pglite-socket runs every connection on one PGlite backend and queues their protocol messages
 * one at a time, keeping a connection together only inside a transaction. A parameterised query
 * is several messages (Parse, Bind, Execute, Sync); when another connection's transaction runs
 * between them, it replaces the unnamed prepared statement and the first connection's Bind
 * fails ("unnamed prepared statement does not exist") or binds the wrong statement.
 *
 * This replaces the queue's scheduler so that a connection with an open extended-protocol
 * sequence, like one inside a transaction, keeps the backend until it finishes. It also
 * releases the backend when processing a message fails (upstream left the queue stuck).
 * test/embedded/pglite-server.e2e-spec.ts reproduces the bug without this.
 */
export function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const q = queryQueueOf(server);
  let openSequence: number | null = null;

  q.processQueue = async function processQueue(): Promise<void> {
    if (q.processing || q.queue.length === 0) return;
    q.processing = true;
    try {
      while (q.queue.length > 0) {
        const owner = openSequence ?? (q.db.isInTransaction() ? q.lastHandlerId : null);
        const index = owner === null ? 0 : q.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) return; // the owner's next message has not arrived yet; its enqueue restarts us
        const [item] = q.queue.splice(index, 1);
        const type = item.message[0];
        let bytes = 0;
        try {
          await q.db.runExclusive(() =>
            q.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          item.reject(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        q.lastHandlerId = item.handlerId;
        if (CLOSES.has(type)) openSequence = null;
        else if (OPENS.has(type)) openSequence = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      q.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (openSequence === handlerId) {
      openSequence = null;
      void q.processQueue();
    }
  };
}
