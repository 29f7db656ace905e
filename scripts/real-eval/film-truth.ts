import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** On-screen text visible from startS to endS (fades included); query is what a user would type. */
export interface FilmText {
  phrase: string;
  query: string;
  startS: number;
  endS: number;
}

/** A phrase spoken inside one caption cue (startS..endS of that cue). */
export interface FilmCaptionPhrase {
  query: string;
  startS: number;
  endS: number;
}

export interface FilmClip {
  file: string;
  what: string;
  /** Scored by the small (CI) run too. */
  ci?: boolean;
  /** Hard cuts (s), read off the frames; absent: the clip is not scored for cuts. */
  cuts?: number[];
  text: FilmText[];
  /** The clip's own SubRip captions, next to it. */
  captions?: string;
  captionPhrases?: FilmCaptionPhrase[];
}

/** test/fixtures/realmedia/film/truth.json: ground truth written by looking at the frames, not by running Heimdex. */
export function loadFilmTruth(fixturesDir: string): { dir: string; clips: FilmClip[] } {
  const dir = join(fixturesDir, 'film');
  const parsed = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as { clips: FilmClip[] };
  return { dir, clips: parsed.clips };
}

/** Words of a phrase as OCR and search compare them: lower case, letters and digits only. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
}
