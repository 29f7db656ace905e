import { type CaptionCue, plainCueText } from './caption-cue';
import { CaptionParseError } from './caption-parse-error';

const TIMING = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?$/;

/** `hh:mm:ss.ttt` or `mm:ss.ttt` (WebVTT); with `comma`, also SubRip's `hh:mm:ss,ttt`. Null when it is neither. */
export function parseCueTime(text: string, comma: boolean): number | null {
  const m = (comma ? /^(?:(\d+):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})$/ : /^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$/).exec(text);
  if (!m) return null;
  const [h, min, s] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (min > 59 || s > 59) return null;
  return h * 3600 + min * 60 + s + Number(m[4].padEnd(3, '0')) / 1000;
}

/** Reads a timing line (`start --> end [settings]`); errors name the line. */
export function parseTimingLine(line: string, lineNumber: number, comma: boolean): { startS: number; endS: number } {
  const m = TIMING.exec(line.trim());
  if (!m) throw new CaptionParseError(lineNumber, `expected a timing line "start --> end", got "${line.slice(0, 80)}"`);
  const startS = parseCueTime(m[1], comma);
  const endS = parseCueTime(m[2], comma);
  if (startS === null) throw new CaptionParseError(lineNumber, `"${m[1]}" is not a timestamp`);
  if (endS === null) throw new CaptionParseError(lineNumber, `"${m[2]}" is not a timestamp`);
  if (endS < startS) throw new CaptionParseError(lineNumber, `the cue ends (${m[2]}) before it starts (${m[1]})`);
  return { startS, endS };
}

/** Splits text into blocks of non-blank lines, each with the 1-based number of its first line. */
export function captionBlocks(text: string): { first: number; lines: string[] }[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const blocks: { first: number; lines: string[] }[] = [];
  let block: { first: number; lines: string[] } | null = null;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      block = null;
      return;
    }
    if (!block) {
      block = { first: i + 1, lines: [] };
      blocks.push(block);
    }
    block.lines.push(line);
  });
  return blocks;
}

/** WebVTT (W3C): the WEBVTT header, then cues; NOTE, STYLE and REGION blocks are skipped. */
export function parseWebVtt(text: string): CaptionCue[] {
  const blocks = captionBlocks(text);
  const header = blocks.shift();
  if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header.lines[0]) || header.first !== 1) {
    throw new CaptionParseError(1, 'a WebVTT file starts with the line "WEBVTT"');
  }
  const cues: CaptionCue[] = [];
  for (const block of blocks) {
    if (/^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(block.lines[0])) continue;
    // A first line that starts like a timestamp is a (broken) timing line, not a cue identifier.
    const timingAt = block.lines[0].includes('-->') || /^\s*(?:\d+:)?\d{2}:\d{2}[.,]\d/.test(block.lines[0]) ? 0 : 1;
    if (timingAt >= block.lines.length) throw new CaptionParseError(block.first, `cue "${block.lines[0].slice(0, 40)}" has no timing line`);
    const { startS, endS } = parseTimingLine(block.lines[timingAt], block.first + timingAt, false);
    const body = plainCueText(block.lines.slice(timingAt + 1));
    if (body) cues.push({ startS, endS, text: body });
  }
  return cues;
}
