import { type CaptionCue, plainCueText } from './caption-cue';
import { CaptionParseError } from './caption-parse-error';

/** `h:mm:ss.cc` (centiseconds). */
function assTime(text: string): number | null {
  const m = /^(\d+):(\d{2}):(\d{2})[.:](\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(`0.${m[4]}`);
}

/**
 * ASS/SSA: the `Dialogue:` lines of the [Events] section, read by its `Format:` line (Text is the
 * last field and may hold commas). Override blocks `{\...}` are removed, `\N` `\n` `\h` become spaces.
 */
export function parseAss(text: string): CaptionCue[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let inEvents = false;
  let format: string[] | null = null;
  const cues: CaptionCue[] = [];
  lines.forEach((line, i) => {
    const n = i + 1;
    const section = /^\s*\[(.+)\]\s*$/.exec(line);
    if (section) {
      inEvents = section[1].trim().toLowerCase() === 'events';
      return;
    }
    if (!inEvents) return;
    const field = /^\s*(Format|Dialogue)\s*:\s*(.*)$/i.exec(line);
    if (!field) return;
    if (field[1].toLowerCase() === 'format') {
      format = field[2].split(',').map((f) => f.trim().toLowerCase());
      return;
    }
    if (!format) throw new CaptionParseError(n, 'a Dialogue line comes before the [Events] Format line');
    const parts = field[2].split(',');
    if (parts.length < format.length)
      throw new CaptionParseError(n, `a Dialogue line needs ${format.length} fields (${format.join(', ')}), this one has ${parts.length}`);
    const values = [...parts.slice(0, format.length - 1), parts.slice(format.length - 1).join(',')];
    const get = (name: string): string => values[format?.indexOf(name) ?? -1] ?? '';
    const startS = assTime(get('start'));
    const endS = assTime(get('end'));
    if (startS === null) throw new CaptionParseError(n, `"${get('start')}" is not a timestamp`);
    if (endS === null) throw new CaptionParseError(n, `"${get('end')}" is not a timestamp`);
    if (endS < startS) throw new CaptionParseError(n, 'the line ends before it starts');
    const body = plainCueText([get('text').replace(/\\[Nnh]/g, ' ')]);
    if (body) cues.push({ startS, endS, text: body });
  });
  if (format === null) throw new CaptionParseError(lines.length, 'no [Events] section with a Format line');
  return cues.sort((a, b) => a.startS - b.startS);
}
