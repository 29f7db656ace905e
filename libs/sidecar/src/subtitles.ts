import { subtitleCues, type SubtitleSource } from './subtitle-cues';

/**
 * WebVTT: a `WEBVTT` header (naming where the transcript came from, when known: `WEBVTT - captions`
 * or `WEBVTT - asr`), then the cues; an empty transcript gives the header and a NOTE saying why.
 */
export function toWebVtt(source: SubtitleSource & { source?: 'captions' | 'asr' | null }): string {
  const cues = subtitleCues(source).map((c) => `${timestamp(c.startS, '.')} --> ${timestamp(c.endS, '.')}\n${escapeVtt(c.text)}`);
  const header = source.source ? `WEBVTT - ${source.source}` : 'WEBVTT';
  const note = cues.length === 0 && source.note ? [`NOTE ${oneLineNote(source.note)}`] : [];
  return `${[header, ...note, ...cues].join('\n\n')}\n`;
}

/**
 * SubRip: cues numbered from 1. SRT has no comments and no escaping: an empty transcript gives an
 * empty file, and the API sends the WebVTT file's NOTE in the Heimdex-Transcript-Note header (webVttNote).
 */
export function toSrt(source: SubtitleSource): string {
  const cues = subtitleCues(source).map((c, i) => `${i + 1}\n${timestamp(c.startS, ',')} --> ${timestamp(c.endS, ',')}\n${c.text}`);
  return cues.length === 0 ? '' : `${cues.join('\n\n')}\n`;
}

/** The NOTE of a WebVTT file written by toWebVtt for an empty transcript, or null. */
export function webVttNote(vtt: string): string | null {
  const match = /^WEBVTT\n\nNOTE ([^\n]+)\n$/.exec(vtt);
  return match ? match[1] : null;
}

/** A NOTE ends at a blank line and may not contain `-->`: one line, arrows broken. */
function oneLineNote(note: string): string {
  return note.replace(/\s+/g, ' ').replace(/-->/g, '->').trim();
}

/** `hh:mm:ss.mmm` (WebVTT) or `hh:mm:ss,mmm` (SRT); hours grow past two digits when they must. */
function timestamp(seconds: number, msSeparator: '.' | ','): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${msSeparator}${pad(ms % 1000, 3)}`;
}

/** Cue text is HTML-like in WebVTT: these three must be character references (this also keeps `-->` out). */
function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
