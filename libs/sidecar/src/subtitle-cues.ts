import type { SidecarWord } from './sidecar.types';
import { byTime } from './time-order';

/** Longest cue, in seconds and in characters, before a segment is split at word boundaries. */
export const MAX_CUE_SECONDS = 7;
export const MAX_CUE_CHARS = 80;

/** Anything with transcript segments: the sidecar's transcript, or an ASR engine's. */
export interface SubtitleSource {
  readonly segments: ReadonlyArray<{ startS: number; endS: number; text: string; words: readonly SidecarWord[] }>;
  /** Why there are no segments: written into the subtitle files, so an empty file says why it is empty. */
  readonly note?: string;
}

export interface SubtitleCue {
  startS: number;
  endS: number;
  /** One line: whitespace runs (newlines included) collapse to one space, since a blank line would end the cue. */
  text: string;
}

/**
 * One cue per segment; a segment longer than MAX_CUE_SECONDS or MAX_CUE_CHARS is split at
 * word boundaries when it has words (without them its text has no timing to split by).
 */
export function subtitleCues(source: SubtitleSource): SubtitleCue[] {
  const cues: SubtitleCue[] = [];
  for (const segment of [...source.segments].sort(byTime)) {
    const text = oneLine(segment.text);
    const fits = segment.endS - segment.startS <= MAX_CUE_SECONDS && text.length <= MAX_CUE_CHARS;
    const split = fits ? [] : splitAtWords([...segment.words].sort(byTime));
    if (split.length > 0) cues.push(...split);
    else if (text !== '') cues.push({ startS: segment.startS, endS: segment.endS, text });
  }
  return cues;
}

function splitAtWords(words: readonly SidecarWord[]): SubtitleCue[] {
  const cues: SubtitleCue[] = [];
  let cue: SubtitleCue | null = null;
  for (const w of words) {
    const word = oneLine(w.word);
    if (word === '') continue;
    if (cue && w.endS - cue.startS <= MAX_CUE_SECONDS && cue.text.length + 1 + word.length <= MAX_CUE_CHARS) {
      cue.text += ` ${word}`;
      cue.endS = Math.max(cue.endS, w.endS);
      continue;
    }
    if (cue) cues.push(cue);
    cue = { startS: w.startS, endS: w.endS, text: word };
  }
  if (cue) cues.push(cue);
  return cues;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
