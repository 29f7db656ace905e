/**
 * The on-screen-text part of eval:real (`--set vision`): a title card that fades in and out over
 * 4.5 s inside a 13 s shot, and a smaller credit line before it, at 320x180 in MPEG-TS, drawn over
 * a real photo (test media: shared/realmedia objects), through the pipeline's own decode pass
 * (runScenePass) and OCR (spanOcrLines). Prints recall of the expected lines, the time span each
 * was read over, frames analysed / skipped, and what OCR costs per analysed frame.
 */
import { FfmpegBinaries, runScenePass } from '@heimdex/media';
import { OcrEngine, spanOcrLines, textSimilarity } from '@heimdex/ml';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TITLE_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface TitleCardSpec {
  /** Background photo, scaled to fill the frame. */
  background: string;
  title: { text: string; fadeInS: number; fullS: number; fadeOutS: number; holdS: number; size: number };
  credit: { text: string; fromS: number; toS: number; size: number };
  durationS: number;
}

export const DEFAULT_TITLE_CARD = (background: string): TitleCardSpec => ({
  background,
  // 1.5 s in, 1.5 s full, 1.5 s out: visible (fading) for 4.5 s of the 13 s shot.
  title: { text: 'Evening Harbour', fadeInS: 5, fullS: 6.5, fadeOutS: 8, holdS: 1.5, size: 30 },
  credit: { text: 'an open movie by the Harbour Studio', fromS: 1, toS: 3.5, size: 12 },
  durationS: 13,
});

/** The spec rendered as 320x180 H.264 in MPEG-TS, with a slow push-in so no two frames are equal. */
export function renderTitleCard(ffmpeg: string, spec: TitleCardSpec, out: string): string {
  const t = spec.title;
  const alpha = `if(lt(t,${t.fadeInS}),0,if(lt(t,${t.fadeInS + t.holdS}),(t-${t.fadeInS})/${t.holdS},if(lt(t,${t.fadeOutS}),1,if(lt(t,${t.fadeOutS + t.holdS}),(${t.fadeOutS + t.holdS}-t)/${t.holdS},0))))`;
  const c = spec.credit;
  const graph = [
    `[0:v]scale=400:-2,crop=400:224,zoompan=z='1+0.0008*on':d=${Math.round(spec.durationS * 25)}:s=320x180:fps=25`,
    `drawtext=fontfile=${TITLE_FONT}:text='${c.text}':fontsize=${c.size}:fontcolor=white:x=(w-text_w)/2:y=h-30:enable='between(t,${c.fromS},${c.toS})'`,
    `drawtext=fontfile=${TITLE_FONT}:text='${t.text}':fontsize=${t.size}:fontcolor=white:borderw=2:bordercolor=black@0.7:x=(w-text_w)/2:y=(h-text_h)/2:alpha='${alpha}'`,
    'format=yuv420p[v]',
  ].join(',');
  execFileSync(ffmpeg, ['-y', '-v', 'error', '-loop', '1', '-i', spec.background, '-filter_complex', graph, '-map', '[v]', '-t', String(spec.durationS), '-c:v', 'libx264', '-preset', 'veryfast', '-f', 'mpegts', out]);
  return out;
}

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
