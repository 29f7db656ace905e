import type { RealEvalContext, RealEvalResult, RealEvalSet } from './real-eval-set';
import { REAL_EVAL_SETS } from './sets';

export interface RealEvalRun extends RealEvalContext {
  /** Sets whose name contains one of these; null: all. */
  only: string[] | null;
  sets?: RealEvalSet[];
}

/** Runs the chosen sets one after another (they share the CPU with nothing else of theirs). */
export async function runRealEval(run: RealEvalRun): Promise<{ set: RealEvalSet; result: RealEvalResult; seconds: number }[]> {
  const chosen = (run.sets ?? REAL_EVAL_SETS).filter((s) => !run.only || run.only.some((name) => s.name.includes(name)));
  const out: { set: RealEvalSet; result: RealEvalResult; seconds: number }[] = [];
  for (const set of chosen) {
    const t0 = performance.now();
    const result = await set.run(run).catch((err: unknown): RealEvalResult => ({ error: err instanceof Error ? err.message : String(err) }));
    out.push({ set, result, seconds: (performance.now() - t0) / 1000 });
  }
  return out;
}
