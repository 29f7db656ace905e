/** Thrown from an `eventually` check to stop waiting at once. */
export class FatalCheckError extends Error {}

/**
 * Polls until `check` returns a value (not undefined) or the timeout passes. Every poll costs the
 * API (and the embedded database behind it) CPU that a test run on two cores is short of: wait for
 * a state that passes quickly with a shorter `everyMs`.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
      if (err instanceof FatalCheckError) throw err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
