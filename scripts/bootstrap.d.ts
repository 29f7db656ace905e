/** Types of what scripts/bootstrap.js exports (plain JavaScript on purpose: it runs before anything is built). */
export interface BuildStep {
  name: string;
  /** Files and folders, relative to the checkout, walked recursively (tests excluded). */
  inputs: string[];
  /** The file whose mtime is the time the last build started. */
  stamp: string;
  run(): void;
}
export const BUILD_STEPS: BuildStep[];
export function needsBuild(step: Pick<BuildStep, 'inputs' | 'stamp'>, base?: string): boolean;
export function newestMtime(path: string): number;
