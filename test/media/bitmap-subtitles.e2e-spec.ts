import { bundledFfmpegPath, extractBitmapSubtitleEvents, type FfmpegBinaries, resolveFfmpegBinaries } from '@heimdex/media';
import { PpOcrEngine, readSubtitlePicture } from '@heimdex/ml';
import { type CaptionCue, parseCaptions } from '@heimdex/sidecar';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every file this suite writes, removed when it ends.
const scratch = mkdtempSync(join(tmpdir(), 'heimdex-bitmap-tests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const film = join(__dirname, '..', 'fixtures', 'realmedia', 'film');
const popeye = join(film, 'popeye_sinbad_p1.mkv');
/** The human-written SubRip of the same dialogue as the file's PGS track. */
const truth: CaptionCue[] = parseCaptions(readFileSync(join(film, 'popeye_sinbad_p1.srt'), 'utf8'), 'subrip');

const system = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
const bundled: FfmpegBinaries = { ...system, ffmpeg: bundledFfmpegPath(), source: { ...system.source, ffmpeg: 'bundled' } };

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
}

/** Share of the truth's words (with repeats) that the reading holds: 1 is every word read. */
function wordOverlap(truthText: string, read: string): number {
  const left = words(read);
  const want = words(truthText);
  let found = 0;
  for (const w of want) {
    const at = left.indexOf(w);
    if (at >= 0) {
      found++;
      left.splice(at, 1);
    }
  }
  return want.length ? found / want.length : 0;
}

function hasPhrase(text: string, phrase: string): boolean {
  return ` ${words(text).join(' ')} `.includes(` ${words(phrase).join(' ')} `);
}

async function readCues(bins: FfmpegBinaries, file: string, ocr: PpOcrEngine, durationS: number): Promise<CaptionCue[]> {
  const { events, capped } = await extractBitmapSubtitleEvents(bins, file, 0, mkdtempSync(join(scratch, 'heimdex-bitmap-subs-')), {
    maxEvents: 100,
    durationS,
  });
  expect(capped).toBe(false);
  const cues: CaptionCue[] = [];
  for (const e of events) cues.push({ startS: e.startS, endS: e.endS, text: (await readSubtitlePicture(ocr, e.image)).text });
  return cues;
}

/** The read cue on screen at the middle of a truth cue. */
function cueAt(cues: CaptionCue[], t: CaptionCue): CaptionCue | undefined {
  const mid = (t.startS + t.endS) / 2;
  return cues.find((c) => c.startS <= mid && c.endS >= mid);
}

/**
 * Bitmap subtitles read by ffmpeg (sub2video) and the real PP-OCR model, scored against the
 * film's own human-written SubRip: words compared, so an OCR slip costs a word, not the cue.
 */
describe('bitmap subtitle streams read by OCR (real ffmpeg, real OCR model)', () => {
  let ocr: PpOcrEngine;
  beforeAll(async () => {
    ocr = await PpOcrEngine.create();
  });

  // The PGS track lacks one of the SubRip's 14 cues ("I don't wanna brag"): 13 can be read.
  it.each([
    ['system', system],
    ['bundled 4.1', bundled],
  ])(
    'reads the PGS track of the Popeye clip with %s ffmpeg: cue words and times',
    async (_name, bins) => {
      const cues = await readCues(bins, popeye, ocr, 62.167);
      const scored = truth.map((t) => {
        const read = cueAt(cues, t);
        return { t, read, overlap: read ? wordOverlap(t.text, read.text) : 0 };
      });
      const good = scored.filter((s) => s.read && s.overlap >= 0.75 && Math.abs(s.read.startS - s.t.startS) <= 0.5);
      expect(good.length).toBeGreaterThanOrEqual(11);
      // The phrases the film set searches for, each in the cue that holds it, at that cue's time.
      for (const phrase of ['hearty and hale', 'back of a whale', 'lord and its master', 'scare all creation', 'take my adventures']) {
        const t = truth.find((c) => hasPhrase(c.text, phrase));
        const read = t && cueAt(cues, t);
        expect({ phrase, read: read?.text }).toEqual({ phrase, read: expect.any(String) });
        expect(hasPhrase(read?.text ?? '', phrase)).toBe(true);
        expect(Math.abs((read?.startS ?? -1) - (t?.startS ?? 0))).toBeLessThanOrEqual(0.5);
      }
      // Cleared pictures are not cues: nothing is on screen in the SubRip's gap at 4-13 s.
      expect(cues.some((c) => c.startS < 12 && c.endS > 5)).toBe(false);
    },
    180_000,
  );

  it('stops at the cap on pictures and says so', async () => {
    const dir = mkdtempSync(join(scratch, 'heimdex-bitmap-cap-'));
    const { events, capped } = await extractBitmapSubtitleEvents(system, popeye, 0, dir, { maxEvents: 3, durationS: 62.167 });
    expect(capped).toBe(true);
    expect(events.map((e) => e.startS)).toEqual([0, 13, 16.583]);
    expect(events[0].endS).toBe(4);
  });

  // DVD subtitles made from the same track by ffmpeg's dvdsub encoder (4 colours). It keeps no
  // clearing events, so each picture shows until the next: starts are compared, not ends.
  it.each([
    ['system', system],
    ['bundled 4.1', bundled],
  ])(
    'reads a DVD subtitle track made with %s ffmpeg',
    async (_name, bins) => {
      const file = join(mkdtempSync(join(scratch, 'heimdex-dvdsub-')), 'dvdsub.mkv');
      execFileSync(bins.ffmpeg, ['-v', 'error', '-i', popeye, '-t', '25', '-map', '0:s:0', '-c:s', 'dvdsub', file]);
      const cues = await readCues(bins, file, ocr, 25);
      const first = truth.filter((t) => t.startS < 23);
      const matched = first.filter((t) => {
        const read = cues.find((c) => Math.abs(c.startS - t.startS) <= 0.5);
        return read && wordOverlap(t.text, read.text) >= 0.75;
      });
      expect(matched.length).toBeGreaterThanOrEqual(first.length - 1);
    },
    180_000,
  );
});
