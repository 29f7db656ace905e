/**
 * The evaluation corpus: generated videos whose content is known by construction. Each video has
 * three 5-second shots with hard cuts (solid colours), large on-screen text on some shots, a spoken
 * phrase (espeak-ng) on some, and a title. Phrases are ones pocketsphinx's en-us model hears on
 * espeak's voice (measured; most others come out garbled), so transcript queries test search
 * rather than speech recognition.
 */
export interface EvalShot {
  color: string;
  text?: string;
  /** Spoken 1 s into the shot. */
  speech?: string;
}

export interface EvalVideo {
  key: string;
  title: string;
  shots: [EvalShot, EvalShot, EvalShot];
}

export const SHOT_S = 5;
export const SPEECH_OFFSET_S = 1;

export const CORPUS: EvalVideo[] = [
  {
    key: 'news',
    title: 'Morning bulletin',
    shots: [
      { color: 'navy', text: 'WEATHER FORECAST', speech: 'breaking news' },
      { color: 'darkgreen', speech: 'the stock market' },
      { color: 'maroon', text: 'TRAFFIC REPORT' },
    ],
  },
  {
    key: 'office',
    title: 'Office party',
    shots: [
      { color: 'purple', text: 'CONFERENCE ROOM', speech: 'happy birthday' },
      { color: 'teal', speech: 'coffee break' },
      { color: 'olive', text: 'QUARTERLY SALES' },
    ],
  },
  {
    key: 'sports',
    title: 'Sports evening',
    shots: [
      { color: 'darkblue', text: 'SCOREBOARD', speech: 'basketball game' },
      { color: 'sienna', speech: 'welcome to the show' },
      { color: 'darkred', text: 'HALF TIME' },
    ],
  },
  {
    key: 'home',
    title: 'Home tour',
    shots: [
      { color: 'gray', text: 'KITCHEN', speech: 'open the door' },
      { color: 'black', speech: 'hello world' },
      { color: 'indigo', text: 'GARDEN PARTY' },
    ],
  },
];

export type EvalSignal = 'transcript' | 'ocr' | 'typo' | 'title' | 'visual';

/** A query and the scenes that answer it: `shots` of video `video` (by shot number), or any scene of it when `shots` is absent. */
export interface EvalQuery {
  q: string;
  signal: EvalSignal;
  video: string;
  shots?: number[];
  /** For transcript queries: when the phrase is spoken (seconds into the video). */
  spokenAtS?: number;
}

const spoken = (video: string, shot: number, q: string): EvalQuery => ({
  q,
  signal: 'transcript',
  video,
  shots: [shot],
  spokenAtS: shot * SHOT_S + SPEECH_OFFSET_S,
});
const shown = (video: string, shot: number, q: string, signal: EvalSignal = 'ocr'): EvalQuery => ({ q, signal, video, shots: [shot] });

export const QUERIES: EvalQuery[] = [
  spoken('news', 0, 'breaking news'),
  spoken('news', 1, 'stock market'),
  spoken('office', 0, 'happy birthday'),
  spoken('office', 1, 'coffee break'),
  spoken('sports', 0, 'basketball'),
  spoken('sports', 1, 'welcome show'),
  spoken('home', 0, 'open door'),
  spoken('home', 1, 'hello world'),
  shown('news', 0, 'weather forecast'),
  shown('news', 2, 'traffic report'),
  shown('office', 0, 'conference room'),
  shown('office', 2, 'quarterly sales'),
  shown('sports', 0, 'scoreboard'),
  shown('sports', 2, 'half time'),
  shown('home', 0, 'kitchen'),
  shown('home', 2, 'garden party'),
  // Near spellings (pg_trgm): full text finds nothing, typo tolerance should.
  shown('news', 2, 'trafic report', 'typo'),
  shown('office', 2, 'quartely sales', 'typo'),
  shown('sports', 0, 'scorebord', 'typo'),
  shown('home', 2, 'garden partty', 'typo'),
  { q: 'morning bulletin', signal: 'title', video: 'news' },
  { q: 'office party', signal: 'title', video: 'office' },
  { q: 'sports evening', signal: 'title', video: 'sports' },
  { q: 'home tour', signal: 'title', video: 'home' },
  // Pictures by colour: meaningful with a real CLIP model only (the test model's text tower is random).
  shown('news', 1, 'a dark green screen', 'visual'),
  shown('office', 0, 'a purple screen with white text', 'visual'),
  shown('home', 1, 'a black screen', 'visual'),
];

/**
 * The modes each signal's queries run under alone; the fused run uses none (every signal). Title
 * matches take part only in unrestricted searches, so the title row is a fused run of title queries.
 */
export const SIGNAL_MODES: Record<EvalSignal, string | null> = {
  transcript: 'transcript',
  ocr: 'ocr',
  typo: 'transcript,ocr',
  title: null,
  visual: 'visual',
};
