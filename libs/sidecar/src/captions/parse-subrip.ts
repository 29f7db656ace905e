import { type CaptionCue, plainCueText } from './caption-cue';
import { CaptionParseError } from './caption-parse-error';
import { captionBlocks, parseTimingLine } from './parse-webvtt';

/** SubRip: blocks of a sequence number, `hh:mm:ss,ttt --> hh:mm:ss,ttt`, and text. A missing number is tolerated. */
export function parseSubRip(text: string): CaptionCue[] {
  const cues: CaptionCue[] = [];
  const blocks = captionBlocks(text);
  if (!blocks.length) throw new CaptionParseError(1, 'the file has no cues');
  for (const block of blocks) {
    const timingAt = /^\s*\d+\s*$/.test(block.lines[0]) ? 1 : 0;
    if (timingAt >= block.lines.length) throw new CaptionParseError(block.first, `cue ${block.lines[0].trim()} has no timing line`);
    const { startS, endS } = parseTimingLine(block.lines[timingAt], block.first + timingAt, true);
    const body = plainCueText(block.lines.slice(timingAt + 1));
    if (body) cues.push({ startS, endS, text: body });
  }
  return cues;
}
