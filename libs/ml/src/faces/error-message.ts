/**
 * The message of whatever was thrown. Checks the shape rather than `instanceof Error`, which is
 * false for errors made in another realm (Node's own errors under Jest's VM contexts).
 */
export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') return err.message;
  return String(err);
}
