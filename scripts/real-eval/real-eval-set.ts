import type { AppConfig } from '@heimdex/config';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What every set of `npm run eval:real` is given. */
export interface RealEvalContext {
  /** The configuration the worker would run with (models, ffmpeg, ASR settings). */
  config: AppConfig;
  /** Real media committed with the repository (test/fixtures/realmedia). */
  fixturesDir: string;
  /** The larger shared real-media folder (REAL_MEDIA_DIR, default /work/shared/realmedia); sets skip what is not there. */
  sharedDir: string;
  /** CI size: each set evaluates a few items only. */
  small: boolean;
  workDir: string;
  log(message: string): void;
}

/** One row of the report: a figure, the target it should meet (when there is one) and whether it did. */
export interface RealEvalMetric {
  name: string;
  value: number;
  /** e.g. `≤ 0.50`, `= 0`; absent for figures reported without a target. */
  target?: string;
  met?: boolean;
  detail?: string;
}

/** error: the set threw (its message); the other sets still run and print. */
export type RealEvalResult = { metrics: RealEvalMetric[] } | { skipped: string } | { error: string };

/**
 * A plug-in of `npm run eval:real`: scripts/real-eval/sets.ts lists them. A set measures one kind of
 * real input (read speech, music, captioned film, title cards, faces...) and returns its figures.
 */
export interface RealEvalSet {
  name: string;
  /** What it measures and on which media (source and licence are in test/fixtures/realmedia/README.md). */
  description: string;
  run(context: RealEvalContext): Promise<RealEvalResult>;
}

/** The repository root, from source (scripts/real-eval) or compiled (dist/scripts/real-eval). */
export function repositoryRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'test', 'fixtures'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no repository root (a folder with test/fixtures) above ${from}`);
    dir = up;
  }
  return dir;
}

export function formatRealEvalReport(results: { set: RealEvalSet; result: RealEvalResult; seconds: number }[]): string {
  const lines: string[] = [];
  for (const { set, result, seconds } of results) {
    lines.push(`${set.name} (${seconds.toFixed(1)} s): ${set.description}`);
    if ('skipped' in result) {
      lines.push(`  skipped: ${result.skipped}`);
      continue;
    }
    if ('error' in result) {
      lines.push(`  FAILED: ${result.error}`);
      continue;
    }
    for (const m of result.metrics) {
      const target = m.target ? `  target ${m.target}: ${m.met ? 'met' : 'NOT MET'}` : '';
      lines.push(`  ${m.name.padEnd(44)} ${formatValue(m.value).padStart(8)}${target}${m.detail ? `  (${m.detail})` : ''}`);
    }
  }
  return lines.join('\n');
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
