import type { WriteStream } from 'node:fs';

/**
 * Waits until a part file's stream is shut. After a failed pipeline the file may still be opening
 * (it would be created after an rm) or finishing queued writes, so remove it only after this.
 */
export async function untilClosed(file: WriteStream): Promise<void> {
  if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
}
