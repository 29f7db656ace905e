/**
 * Vision stages at once when WORKER_CONCURRENCY_VISION is unset. Each of the four per-frame
 * models (OCR, faces, objects, moderation) runs in its own engine thread and keeps about one
 * core busy, so more than four gains nothing; one more than the cores covers the time a stage
 * waits on storage and the database between frames.
 */
export function visionConcurrencyFor(cores: number): number {
  return Math.max(1, Math.min(4, cores + 1));
}
