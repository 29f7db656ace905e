import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvalReport, formatEvalReport, runSearchEval } from '../../scripts/search-eval/run-eval';
import { startTestStack, TestStack } from '../helpers/test-stack';
import { hsToken } from '../helpers/tokens';

/**
 * `npm run eval:search` at a small size (two of the corpus videos), through the real worker: on-
 * screen text by the real OCR, speech by pocketsphinx behind the Silero VAD gate (the pipeline's
 * own settings) when installed, no embedding models. The floors sit below what this measures on
 * this machine; a regression in ranking, typo tolerance, title matching, speech gating or word
 * times breaks them.
 */
describe('search evaluation (small corpus)', () => {
  let stack: TestStack;
  let report: EvalReport;

  beforeAll(async () => {
    stack = await startTestStack({
      worker: true,
      env: { FACES_ENABLED: 'false', MODEL_DIR: mkdtempSync(join(tmpdir(), 'heimdex-eval-models-')) },
    });
    report = await runSearchEval({ baseUrl: stack.baseUrl, token: await hsToken(), workDir: mkdtempSync(join(tmpdir(), 'heimdex-eval-')), videos: 2 });
    console.log(formatEvalReport(report));
  }, 600_000);
  afterAll(() => stack.close());

  const row = (name: string) => report.rows.find((r) => r.name === name)!;

  it('on-screen text, near spellings and titles are found first', () => {
    expect(row('ocr').metrics).toMatchObject({ queries: 4, recallAt1: 1 });
    expect(row('typo').metrics.recallAt5).toBeGreaterThanOrEqual(0.75);
    expect(row('title').metrics).toMatchObject({ queries: 2, recallAt1: 1 });
  });

  it('spoken phrases are found, at the time they were said', () => {
    if (!report.speech) return;
    expect(row('transcript').metrics.recallAt5).toBeGreaterThanOrEqual(0.75);
    expect(report.timing.within).toBeGreaterThanOrEqual(Math.ceil(report.timing.of * 0.75));
  });

  it('fusing the signals keeps what each found alone', () => {
    expect(row('visual').skipped).toMatch(/no CLIP model/);
    expect(row('fused').metrics.recallAt5).toBeGreaterThanOrEqual(0.8);
    expect(row('fused').metrics.mrr).toBeGreaterThanOrEqual(0.7);
  });
});
