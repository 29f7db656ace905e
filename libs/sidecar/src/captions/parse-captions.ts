import type { CaptionCue, CaptionFormat } from './caption-cue';
import { parseAss } from './parse-ass';
import { parseSubRip } from './parse-subrip';
import { parseWebVtt } from './parse-webvtt';

/** Reads WebVTT, SubRip or ASS/SSA text into cues in time order; a malformed file throws CaptionParseError naming the line. */
export function parseCaptions(text: string, format: CaptionFormat): CaptionCue[] {
  const cues = format === 'webvtt' ? parseWebVtt(text) : format === 'subrip' ? parseSubRip(text) : parseAss(text);
  return cues.sort((a, b) => a.startS - b.startS || a.endS - b.endS);
}

/** Caption words with times spread evenly over their cue (caption files time cues, not words). */
export function captionSegments(
  cues: CaptionCue[],
): { startS: number; endS: number; text: string; words: { word: string; startS: number; endS: number; confidence: null }[] }[] {
  return cues.map((cue) => {
    const tokens = cue.text.split(' ').filter(Boolean);
    const step = (cue.endS - cue.startS) / Math.max(1, tokens.length);
    const at = (t: number) => Math.round(t * 1000) / 1000;
    const words = tokens.map((word, i) => ({ word, startS: at(cue.startS + i * step), endS: at(cue.startS + (i + 1) * step), confidence: null }));
    return { startS: cue.startS, endS: cue.endS, text: cue.text, words };
  });
}
