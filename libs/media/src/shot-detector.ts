/**
 * Shot boundaries from Heimdex's own frame differences (no ffmpeg scene score, which changes
 * with the ffmpeg build). Frames are small colour signatures (see frame-signature.ts); the
 * difference of two is 0..1. Three kinds of boundary, after the shot-detection literature
 * (PySceneDetect's content/adaptive/threshold detectors, Zhang's twin comparison):
 *  - hard cut: a step much larger than the steps around it (adaptive), and no flash: the frame
 *    after does not return to what came before;
 *  - gradual (dissolve, fade not reaching black): a run of small steps whose ends differ a lot
 *    and that goes fairly straight from one picture to the other (motion wanders; a dissolve
 *    does not), between calmer stretches;
 *  - through black: cuts whose transitions touch the same dark stretch are one cut, at its middle.
 * A change confined to part of the picture (a title fading in over a still shot) is neither.
 */
export interface ShotDetectorOptions {
  /** A hard cut's step is at least this (0..1). */
  minCutScore: number;
  /** ...and at least this many times the mean step of its neighbours. */
  adaptiveRatio: number;
  /** Neighbouring steps (each side) the adaptive mean looks at. */
  window: number;
  /** A step at least this opens or continues a gradual-transition run (encoder noise on a still shot stays near 0.003). */
  gradualStep: number;
  /** A gradual run's ends differ at least this much. */
  minGradualScore: number;
  /** A gradual run's end-to-end difference over the sum of its steps is at least this. */
  straightness: number;
  /** Runs longer than this many frames are motion, not a transition. */
  maxGradualFrames: number;
  /** A frame whose brightest parts (0..1) are below this is dark. */
  darkLevel: number;
}

export const DEFAULT_SHOT_DETECTOR: ShotDetectorOptions = {
  minCutScore: 0.06,
  adaptiveRatio: 3,
  window: 3,
  gradualStep: 0.007,
  minGradualScore: 0.045,
  straightness: 0.55,
  maxGradualFrames: 24,
  darkLevel: 0.1,
};

export interface ShotFrames {
  /** Frames in time order. */
  count: number;
  /** Difference of frames i and j, 0..1. */
  diff(i: number, j: number): number;
  /** How bright frame i's brightest parts are, 0..1 (low: dark all over). */
  brightness(i: number): number;
  /** Whether frames i and j differ only by something laid over part of one picture (a title, a caption). */
  overlay(i: number, j: number): boolean;
}

export type CutKind = 'cut' | 'gradual' | 'fade';

export interface DetectedCut {
  /** The first frame of the new shot. */
  frame: number;
  kind: CutKind;
  /** The step (hard cut) or end-to-end difference (gradual) that decided it. */
  score: number;
}

interface Transition {
  from: number;
  to: number;
  kind: CutKind;
  score: number;
}

export function detectShots(frames: ShotFrames, options: Partial<ShotDetectorOptions> = {}): DetectedCut[] {
  const o = { ...DEFAULT_SHOT_DETECTOR, ...options };
  const n = frames.count;
  if (n < 2) return [];
  // step[i]: difference of frame i-1 and frame i (step[0] = 0).
  const step = [0];
  for (let i = 1; i < n; i++) step.push(frames.diff(i - 1, i));
  const dark = Array.from({ length: n }, (_, i) => frames.brightness(i) < o.darkLevel);

  const transitions: Transition[] = [];
  for (let i = 1; i < n; i++) {
    if (step[i] < o.minCutScore) continue;
    const around: number[] = [];
    for (let k = 1; k <= o.window; k++) {
      if (i - k >= 1) around.push(step[i - k]);
      if (i + k < n) around.push(step[i + k]);
    }
    const mean = around.length ? around.reduce((a, b) => a + b, 0) / around.length : 0;
    if (step[i] < o.adaptiveRatio * mean) continue;
    if (isFlash(frames, step, i, o) || isOverlay(frames, dark, i - 1, i)) continue;
    transitions.push({ from: i - 1, to: i, kind: 'cut', score: step[i] });
  }

  // Gradual runs: maximal stretches of steps ≥ gradualStep without a hard cut inside.
  const cutAt = new Set(transitions.map((t) => t.to));
  let i = 1;
  while (i < n) {
    if (step[i] < o.gradualStep || cutAt.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && step[j + 1] >= o.gradualStep && !cutAt.has(j + 1)) j++;
    const from = i - 1;
    const to = j;
    const len = to - from;
    if (len >= 2 && len <= o.maxGradualFrames) {
      const total = frames.diff(from, to);
      let path = 0;
      for (let k = from + 1; k <= to; k++) path += step[k];
      // ...and its steps stand out from the calm stretches around it (a dissolve between still shots, not a restless one).
      const calm = meanStep(step, from - 2 * o.window, from).concat(meanStep(step, to + 1, to + 2 * o.window + 1));
      const calmMean = calm.length ? calm.reduce((a, b) => a + b, 0) / calm.length : 0;
      if (total >= o.minGradualScore && total >= o.straightness * path && path / len >= 2 * calmMean && !isOverlay(frames, dark, from, to)) {
        transitions.push({ from, to, kind: dark[from] || dark[to] ? 'fade' : 'gradual', score: total });
      }
    }
    i = j + 1;
  }
  transitions.sort((a, b) => a.from - b.from);
  return mergeTransitions(transitions, dark, n);
}

/** The steps with index in [from, to), within the video. */
function meanStep(step: number[], from: number, to: number): number[] {
  return step.slice(Math.max(1, from), Math.max(1, Math.min(step.length, to)));
}

/** A title or caption over one still picture; never a fade from or to black, where most of the picture is dark anyway. */
function isOverlay(frames: ShotFrames, dark: boolean[], from: number, to: number): boolean {
  return !dark[from] && !dark[to] && frames.overlay(from, to);
}

/**
 * A step into or out of a flash (a lightning strike, a photographer's flash, a frame or two):
 * a frame just after step i returns to the picture before it, or frame i returns to one just
 * before the step.
 */
function isFlash(frames: ShotFrames, step: number[], i: number, o: ShotDetectorOptions): boolean {
  const same = Math.max(o.minCutScore / 2, step[i] / 4);
  for (let k = 1; k <= 2; k++) {
    if (i + k < frames.count && frames.diff(i - 1, i + k) < same) return true;
    if (i - 1 - k >= 0 && frames.diff(i - 1 - k, i) < same) return true;
  }
  return false;
}

/**
 * Transitions that follow one another (a fade out, a cut to black, black, a fade in) are one
 * boundary: at the middle of its dark frames when it has any, else at a hard cut's new frame or
 * a gradual run's middle. Fades from black at the very start or to black at the very end are no cut.
 */
function mergeTransitions(transitions: Transition[], dark: boolean[], n: number): DetectedCut[] {
  const out: DetectedCut[] = [];
  let k = 0;
  while (k < transitions.length) {
    const chain = [transitions[k]];
    let to = transitions[k].to;
    let m = k + 1;
    while (m < transitions.length && (transitions[m].from <= to + 1 || allDark(dark, to, transitions[m].from))) {
      chain.push(transitions[m]);
      to = Math.max(to, transitions[m].to);
      m++;
    }
    k = m;
    const from = chain[0].from;
    const score = Math.max(...chain.map((t) => t.score));
    if (allDark(dark, 0, from) || allDark(dark, to, n - 1)) continue;
    const darkFrames: number[] = [];
    for (let i = from; i <= to; i++) if (dark[i]) darkFrames.push(i);
    if (darkFrames.length) out.push({ frame: Math.ceil((darkFrames[0] + darkFrames[darkFrames.length - 1]) / 2), kind: 'fade', score });
    else if (chain.length === 1 && chain[0].kind === 'cut') out.push({ frame: to, kind: 'cut', score });
    else out.push({ frame: Math.ceil((from + to) / 2), kind: chain.some((t) => t.kind === 'fade') ? 'fade' : 'gradual', score });
  }
  return out;
}

function allDark(dark: boolean[], from: number, to: number): boolean {
  for (let i = from; i <= to; i++) if (!dark[i]) return false;
  return true;
}
