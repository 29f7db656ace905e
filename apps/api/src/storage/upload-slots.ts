/**
 * Uploads in flight on this api process: one per object key, a few per owner (the second path
 * segment of a key, `videos/<user>/...`). Held from the start of a PUT to its end.
 */
export class UploadSlots {
  private readonly keys = new Set<string>();
  private readonly perOwner = new Map<string, number>();

  constructor(private readonly maxPerOwner: number) {}

  /** A release function, or why the upload cannot start now. */
  acquire(key: string): { release: () => void } | { refused: 'key-busy' | 'owner-busy' } {
    if (this.keys.has(key)) return { refused: 'key-busy' };
    const owner = key.split('/')[1] ?? '';
    const count = this.perOwner.get(owner) ?? 0;
    if (count >= this.maxPerOwner) return { refused: 'owner-busy' };
    this.keys.add(key);
    this.perOwner.set(owner, count + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.keys.delete(key);
        const left = (this.perOwner.get(owner) ?? 1) - 1;
        if (left > 0) this.perOwner.set(owner, left);
        else this.perOwner.delete(owner);
      },
    };
  }
}
