import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * Prints the run's totals in jest's format ("Tests:       1 failed, 2 skipped, 5 passed, 8 total")
 * so CI adds the browser tests to jest's counts; skipped tests (no chromium) count as skipped.
 */
export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, TestResult['status']>();
  private readonly skipReasons = new Set<string>();

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, result.status);
    for (const a of test.annotations) if (a.type === 'skip' && a.description) this.skipReasons.add(a.description);
  }

  onEnd(_result: FullResult): void {
    const all = [...this.outcomes.values()];
    const failed = all.filter((s) => s === 'failed' || s === 'timedOut' || s === 'interrupted').length;
    const skipped = all.filter((s) => s === 'skipped').length;
    const passed = all.filter((s) => s === 'passed').length;
    const parts = [failed && `${failed} failed`, skipped && `${skipped} skipped`, passed && `${passed} passed`, `${all.length} total`].filter(Boolean);
    const reasons = [...this.skipReasons].map((r) => `skipped: ${r}\n`).join('');
    console.log(`\nBrowser tests (Playwright, chromium)\n${reasons}Tests:       ${parts.join(', ')}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
