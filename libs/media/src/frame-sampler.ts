import { regionalChange } from './frame-signature';

export interface FrameSamplingOptions {
  /** Steady rate at which frames are offered to the visual stages. */
  sampleFps: number;
  /** A steady-rate frame whose most changed region moved less than this (0..1) since the last kept frame is a near-duplicate. */
  duplicateBelow: number;
  /** A frame is kept at least this often, duplicate or not (long still shots still get frames). */
  forceEveryS: number;
  /** A step (signature difference to the previous decoded frame) this large and... */
  cutScore: number;
  /** ...this many times the recent steps marks a likely cut: the frame after it is kept at once. */
  cutRatio: number;
}

export type SampleDecision = 'keep' | 'duplicate' | 'pass';

const RECENT_STEPS = 6;

/**
 * Decides, frame by frame while the video decodes, which frames the visual stages see: one on
 * each tick of a steady clock unless it repeats the last kept frame, the first frame after a
 * likely cut, and one at least every forceEveryS. Holds only the last kept frame's detail grid.
 */
export class FrameSampler {
  private nextTick = 0;
  private lastKept: { timeS: number; detail: Float32Array } | null = null;
  private readonly recent: number[] = [];

  constructor(private readonly options: FrameSamplingOptions) {}

  /** `step`: this frame's signature difference to the previous decoded frame (0 for the first). */
  decide(timeS: number, step: number, detail: () => Float32Array): SampleDecision {
    const o = this.options;
    const mean = this.recent.length ? this.recent.reduce((a, b) => a + b, 0) / this.recent.length : 0;
    this.recent.push(step);
    if (this.recent.length > RECENT_STEPS) this.recent.shift();
    const tick = timeS + 1e-6 >= this.nextTick;
    if (tick) this.nextTick = Math.max(this.nextTick + 1 / o.sampleFps, timeS - 1e-6);
    const likelyCut = step >= o.cutScore && step >= o.cutRatio * mean;
    const due = !this.lastKept || timeS - this.lastKept.timeS >= o.forceEveryS - 1e-6;
    if (!tick && !likelyCut && !due) return 'pass';
    const grid = detail();
    if (!due && this.lastKept && regionalChange(grid, this.lastKept.detail) < o.duplicateBelow) return tick ? 'duplicate' : 'pass';
    this.lastKept = { timeS, detail: grid };
    return 'keep';
  }
}
