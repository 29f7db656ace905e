import type { FuzzRequest } from './openapi-requests';

/** The API's documented 503: a feature whose model is not installed (image search without CLIP). */
const DOCUMENTED_503 = /needs a CLIP model|face enrolment is unavailable/;

export interface FuzzOutcome {
  byStatus: Map<string, number>;
  /** Requests answered 5xx, or whose connection broke: each is a bug. */
  failures: { request: FuzzRequest; status: string; body: string }[];
}

/**
 * Sends the requests to `baseUrl` (127.0.0.1 only), `concurrency` at a time, each bounded by
 * `timeoutMs`. An event stream counts once its headers arrive. A connection that breaks before
 * the response is complete is a failure like a 5xx.
 */
export async function runFuzz(
  baseUrl: string,
  requests: FuzzRequest[],
  opts: { concurrency: number; timeoutMs: number; deadline: number },
): Promise<FuzzOutcome> {
  const host = new URL(baseUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`the fuzzer only sends to 127.0.0.1, not ${host}`);
  const outcome: FuzzOutcome = { byStatus: new Map(), failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < requests.length && Date.now() < opts.deadline) {
      const request = requests[next++];
      const { status, body } = await send(baseUrl, request, opts.timeoutMs);
      const documented = status === '503' && DOCUMENTED_503.test(body);
      const key = documented ? '503 (no model)' : status;
      outcome.byStatus.set(key, (outcome.byStatus.get(key) ?? 0) + 1);
      if (!documented && (status.startsWith('5') || status === 'connection broken')) outcome.failures.push({ request, status, body });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return outcome;
}

async function send(baseUrl: string, request: FuzzRequest, timeoutMs: number): Promise<{ status: string; body: string }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(`${baseUrl}${request.url}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: abort.signal,
      redirect: 'manual',
    });
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: String(res.status), body: '' };
    }
    const body = await res.text();
    return { status: String(res.status), body: body.slice(0, 500) };
  } catch (err) {
    if (abort.signal.aborted) return { status: 'timeout', body: '' };
    return {
      status: 'connection broken',
      body: String((err as Error).cause ?? err),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Counts by status, then every failure with the request that caused it. */
export function formatOutcome(outcome: FuzzOutcome, sent: number): string {
  const lines = [`${sent} requests`, ...[...outcome.byStatus.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `  ${s.padEnd(18)} ${n}`)];
  if (outcome.failures.length) {
    lines.push('', `${outcome.failures.length} failures:`);
    for (const f of outcome.failures) {
      const body = typeof f.request.body === 'string' ? f.request.body.slice(0, 300) : f.request.body ? '(multipart form)' : '';
      lines.push(`  ${f.status}  ${f.request.method} ${f.request.url.slice(0, 300)}`, `      body: ${body}`, `      answer: ${f.body.slice(0, 300)}`);
    }
  }
  return lines.join('\n');
}
