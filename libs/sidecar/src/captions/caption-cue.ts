/** One timed caption: plain text (markup removed, lines joined by a space). */
export interface CaptionCue {
  startS: number;
  endS: number;
  text: string;
}

export type CaptionFormat = 'webvtt' | 'subrip' | 'ass';

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: ' ', lrm: '', rlm: '', quot: '"', apos: "'" };

/** WebVTT/SubRip cue text as plain text: tags (`<i>`, `<c.x>`, `<00:01.000>`, `<v Bob>`), SubRip/ASS `{...}` overrides and entities removed. */
export function plainCueText(lines: string[]): string {
  return lines
    .join(' ')
    .replace(/<[^>]*>/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return entities[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
