/**
 * The on-screen-text part of eval:real (`--set vision`): a title card that fades in and out over
 * 4.5 s inside a 13 s shot, and a smaller credit line before it, at 320x180 in MPEG-TS, drawn over
 * a real photo (test media: shared/realmedia objects), through the pipeline's own decode pass
 * (runScenePass) and OCR (spanOcrLines). Prints recall of the expected lines, the time span each
 * was read over, frames analysed / skipped, and what OCR costs per analysed frame.
 */
import { FfmpegBinaries, runScenePass } from '@heimdex/media';
import { OcrEngine, spanOcrLines, textSimilarity } from '@heimdex/ml';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTitleCard, TitleCardSpec } from '../lib/title-card';

export { DEFAULT_TITLE_CARD } from '../lib/title-card';

export interface OcrEvalResult {
  expected: { text: string; found: string | null; startS: number | null; endS: number | null }[];
  recall: number;
  /** Cuts found in the one-shot clip (each is a false cut). */
  cuts: number[];
  framesAnalysed: number;
  framesSkipped: number;
  decoded: number;
  ocrMsPerFrame: number;
  lines: { text: string; startS?: number; endS?: number }[];
}

/** A line counts as found when some read line is at least 0.8 similar to it (case-insensitive). */
export async function evalTitleCard(bins: FfmpegBinaries, ocr: OcrEngine, spec: TitleCardSpec, sampleFps = 2): Promise<OcrEvalResult> {
  const dir = mkdtempSync(join(tmpdir(), 'heimdex-eval-ocr-'));
  const file = renderTitleCard(bins.ffmpeg, spec, join(dir, 'title.ts'));
  const framesDir = mkdtempSync(join(dir, 'frames-'));
  const pass = await runScenePass(bins, file, framesDir, { framesPerSecond: sampleFps, maxFrameSide: 1280 });
  const raw: { text: string; confidence: number; frameS: number }[] = [];
  const started = process.hrtime.bigint();
  for (const frame of pass.frames) {
    for (const line of await ocr.read(readFileSync(frame.path))) raw.push({ text: line.text, confidence: line.confidence, frameS: frame.timeS });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const lines = spanOcrLines(raw);
  const expected = [spec.credit.text, spec.title.text].map((text) => {
    const hit = lines.find((l) => textSimilarity(l.text.toLowerCase(), text.toLowerCase()) >= 0.8);
    return { text, found: hit?.text ?? null, startS: hit?.startS ?? null, endS: hit?.endS ?? null };
  });
  return {
    expected,
    recall: expected.filter((e) => e.found).length / expected.length,
    cuts: pass.cuts,
    framesAnalysed: pass.frames.length,
    framesSkipped: pass.duplicates,
    decoded: pass.decoded,
    ocrMsPerFrame: pass.frames.length ? Math.round(ms / pass.frames.length) : 0,
    lines: lines.map(({ text, startS, endS }) => ({ text, startS, endS })),
  };
}
