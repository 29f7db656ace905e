/**
 * The direct half of the film set: real clips (test/fixtures/realmedia/film) through the scene
 * pass the scene_detect stage runs (its config), cuts scored against the frames' ground truth;
 * with an OCR engine, the on-screen text read from the kept frames.
 */
import type { AppConfig } from '@heimdex/config';
import { FfmpegBinaries, runScenePass } from '@heimdex/media';
import { OcrEngine, spanOcrLines } from '@heimdex/ml';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FilmClip, words } from './film-truth';

/** Same tolerance as the vision set's cut check. */
export const CUT_TOLERANCE_S = 0.5;

export interface FilmCutResult {
  file: string;
  truth: number[];
  found: number[];
  hits: number;
  falseCuts: number;
}

export interface FilmTextResult {
  file: string;
  phrase: string;
  /** Share of the phrase's words read on a frame inside its span (±1 s). */
  wordRecall: number;
  read: string[];
}

export interface FilmVisionResult {
  cuts: FilmCutResult[];
  text: FilmTextResult[];
  /** Lines OCR read on frames outside every text span (clips whose only text is listed in the truth). */
  linesOutsideText: { file: string; lines: string[] }[];
  ocrMsPerFrame: number | null;
}

export function scoreCuts(truth: number[], found: number[]): { hits: number; falseCuts: number } {
  return {
    hits: truth.filter((t) => found.some((c) => Math.abs(c - t) <= CUT_TOLERANCE_S)).length,
    falseCuts: found.filter((c) => !truth.some((t) => Math.abs(c - t) <= CUT_TOLERANCE_S)).length,
  };
}

export async function evalFilmVision(
  bins: FfmpegBinaries,
  config: AppConfig,
  dir: string,
  clips: FilmClip[],
  workDir: string,
  ocr: OcrEngine | null,
): Promise<FilmVisionResult> {
  const { cutThreshold, decodeFps, sampleFps, duplicateBelow } = config.scenes;
  const out: FilmVisionResult = { cuts: [], text: [], linesOutsideText: [], ocrMsPerFrame: null };
  let ocrMs = 0;
  let ocrFrames = 0;
  for (const clip of clips) {
    const pass = await runScenePass(bins, join(dir, clip.file), mkdtempSync(join(workDir, 'film-frames-')), {
      cutThreshold,
      decodeFps,
      framesPerSecond: sampleFps,
      duplicateBelow,
      maxFrameSide: 1280,
    });
    if (clip.cuts) out.cuts.push({ file: clip.file, truth: clip.cuts, found: pass.cuts, ...scoreCuts(clip.cuts, pass.cuts) });
    if (!ocr) continue;
    const raw: { text: string; confidence: number; frameS: number }[] = [];
    const started = performance.now();
    for (const frame of pass.frames) {
      for (const line of await ocr.read(readFileSync(frame.path))) raw.push({ text: line.text, confidence: line.confidence, frameS: frame.timeS });
    }
    ocrMs += performance.now() - started;
    ocrFrames += pass.frames.length;
    const inside = (t: number) => clip.text.some((x) => t >= x.startS - 1 && t <= x.endS + 1);
    for (const expected of clip.text) {
      const near = raw.filter((r) => r.frameS >= expected.startS - 1 && r.frameS <= expected.endS + 1);
      const seen = new Set(near.flatMap((r) => words(r.text)));
      const want = words(expected.phrase);
      out.text.push({
        file: clip.file,
        phrase: expected.phrase,
        wordRecall: want.filter((w) => seen.has(w)).length / want.length,
        read: spanOcrLines(near).map((l) => l.text),
      });
    }
    out.linesOutsideText.push({ file: clip.file, lines: spanOcrLines(raw.filter((r) => !inside(r.frameS))).map((l) => l.text) });
  }
  if (ocr && ocrFrames) out.ocrMsPerFrame = ocrMs / ocrFrames;
  return out;
}
