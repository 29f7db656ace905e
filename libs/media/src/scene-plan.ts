import { roundMs } from './round-ms';

export interface SceneSpan {
  startS: number;
  endS: number;
}

export interface ScenePlanOptions {
  /** Cuts closer than this to the previous boundary are dropped (flashes, fades); half of it for the first and last shot. */
  minS: number;
  /** Longer shots are split into equal parts no longer than this. */
  maxS: number;
}

/**
 * Scenes from shot-cut times: every cut kept unless too close to the last, long shots split. A
 * short first or last shot (an opening logo, a closing card) is its own scene from half of minS:
 * merged, it would have no scene of its own, and only one neighbour to be merged into.
 */
export function planScenes(cuts: readonly number[], durationS: number, opts: ScenePlanOptions): SceneSpan[] {
  if (!(durationS > 0)) return [];
  const bounds = [0];
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const previous = bounds[bounds.length - 1];
    if (cut - previous >= (previous === 0 ? opts.minS / 2 : opts.minS) && durationS - cut >= opts.minS / 2) bounds.push(cut);
  }
  bounds.push(durationS);
  const scenes: SceneSpan[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const parts = Math.max(1, Math.ceil((end - start) / opts.maxS - 1e-9));
    for (let p = 0; p < parts; p++) {
      scenes.push({ startS: roundMs(start + ((end - start) * p) / parts), endS: roundMs(start + ((end - start) * (p + 1)) / parts) });
    }
  }
  return scenes;
}

export interface FramePickOptions {
  /** At most this many frames per scene. */
  maxPerScene: number;
  /** One more frame per this many seconds of scene, up to maxPerScene. */
  everyS: number;
  /** Frames closer than this to a cut may show the transition: avoided when possible. */
  marginS: number;
}

/**
 * Which decoded frames to keep for each scene: the one nearest the middle first (the scene's
 * thumbnail), then evenly spread ones for long scenes. Returns, per scene, candidate times.
 */
export function pickFrames(scenes: readonly SceneSpan[], candidates: readonly number[], opts: FramePickOptions): number[][] {
  return scenes.map((scene) => {
    const inside = candidates.filter((t) => t >= scene.startS && t < scene.endS);
    const safe = inside.filter((t) => t >= scene.startS + opts.marginS && t <= scene.endS - opts.marginS);
    const pool = safe.length ? safe : inside;
    if (!pool.length) return [];
    const want = Math.min(opts.maxPerScene, pool.length, 1 + Math.floor((scene.endS - scene.startS) / opts.everyS));
    const mid = (scene.startS + scene.endS) / 2;
    const picked = [nearest(pool, mid)];
    for (let k = 1; k < want; k++) {
      const target = scene.startS + ((scene.endS - scene.startS) * k) / want;
      const t = nearest(
        pool.filter((c) => !picked.includes(c)),
        target,
      );
      if (t !== undefined) picked.push(t);
    }
    return picked;
  });
}

function nearest(pool: readonly number[], target: number): number {
  return pool.reduce((best, t) => (Math.abs(t - target) < Math.abs(best - target) ? t : best), pool[0]);
}
