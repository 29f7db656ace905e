import type { TranscriptSegment } from '../engine-types';
import { condensedLayout, condensedSamples, restoreSegments, toSourceTime } from './condensed-audio';

const regions = [
  { startS: 2, endS: 4 },
  { startS: 10, endS: 11 },
];

describe('condensed speech audio', () => {
  const pieces = condensedLayout(regions, 0.5);

  it('lays the regions end to end, each after a silence', () => {
    expect(pieces).toEqual([
      { sourceStartS: 2, sourceEndS: 4, condensedStartS: 0.5 },
      { sourceStartS: 10, sourceEndS: 11, condensedStartS: 3 },
    ]);
  });

  it('copies only the regions, with faint noise (never digital silence) before each and at the end', () => {
    const rate = 10;
    const source = Float32Array.from({ length: 120 }, (_, i) => i / 200);
    const out = condensedSamples(source, rate, pieces, 0.5);
    expect(out.length).toBe(5 + 20 + 5 + 10 + 5);
    const gaps = [...out.subarray(0, 5), ...out.subarray(25, 30), ...out.subarray(40)];
    expect(gaps.every((x) => Math.abs(x) <= 33)).toBe(true);
    expect(gaps.filter((x) => x !== 0).length).toBeGreaterThan(10);
    expect(out[5]).toBe(Math.round((20 / 200) * 32767));
    expect(out[30]).toBe(Math.round((100 / 200) * 32767));
    expect(Array.from(condensedSamples(source, rate, pieces, 0.5))).toEqual(Array.from(out));
  });

  it('puts a warm-up copy of the start of the first region first, and drops the words heard in it', () => {
    const warm = condensedLayout(regions, 0.5, 1);
    expect(warm).toEqual([
      { sourceStartS: 2, sourceEndS: 3, condensedStartS: 0.5, warmup: true },
      { sourceStartS: 2, sourceEndS: 4, condensedStartS: 2 },
      { sourceStartS: 10, sourceEndS: 11, condensedStartS: 4.5 },
    ]);
    const segments: TranscriptSegment[] = [
      {
        startS: 0.6,
        endS: 2.5,
        text: 'printing printing',
        words: [
          { word: 'printing', startS: 0.6, endS: 1.4, confidence: 0.9 },
          { word: 'printing', startS: 1.9, endS: 2.5, confidence: 0.8 },
        ],
      },
    ];
    expect(restoreSegments(segments, warm, 0.1)).toEqual([
      { startS: 2, endS: 2.5, text: 'printing', words: [{ word: 'printing', startS: 2, endS: 2.5, confidence: 0.8 }] },
    ]);
  });

  it('maps condensed times back to the source, clamping times in a gap to the piece before it', () => {
    expect(toSourceTime(pieces, 0.5)).toBe(2);
    expect(toSourceTime(pieces, 1.75)).toBe(3.25);
    expect(toSourceTime(pieces, 2.7)).toBe(4);
    expect(toSourceTime(pieces, 3.4)).toBe(10.4);
    expect(toSourceTime(pieces, 0.1)).toBe(2);
  });

  it('restores word times and drops words scored below the confidence floor, keeping unscored words', () => {
    const segments: TranscriptSegment[] = [
      {
        startS: 0.6,
        endS: 3.6,
        text: 'the uh printing press',
        words: [
          { word: 'the', startS: 0.6, endS: 0.8, confidence: 0.9 },
          { word: 'uh', startS: 0.9, endS: 1.0, confidence: 0.02 },
          { word: 'printing', startS: 3.1, endS: 3.4, confidence: null },
          { word: 'press', startS: 3.4, endS: 3.6, confidence: 0.5 },
        ],
      },
      { startS: 1, endS: 1.2, text: 'hmm', words: [{ word: 'hmm', startS: 1, endS: 1.2, confidence: 0.05 }] },
    ];
    expect(restoreSegments(segments, pieces, 0.1)).toEqual([
      {
        startS: 2.1,
        endS: 10.6,
        text: 'the printing press',
        words: [
          { word: 'the', startS: 2.1, endS: 2.3, confidence: 0.9 },
          { word: 'printing', startS: 10.1, endS: 10.4, confidence: null },
          { word: 'press', startS: 10.4, endS: 10.6, confidence: 0.5 },
        ],
      },
    ]);
  });

  it('drops a region whose words all score below the region floor, and keeps every word of the others', () => {
    const words = (list: [string, number, number | null][]) => list.map(([word, startS, confidence]) => ({ word, startS, endS: startS + 0.2, confidence }));
    const heard = (list: [string, number, number | null][]): TranscriptSegment[] => [{ startS: 0, endS: 4, text: '', words: words(list) }];
    // Region one (condensed 0.5-2.5): a guitar heard as words; region two (from 3): speech with one unsure word.
    const music = heard([
      ['then', 0.6, 0.05],
      ['a', 1.2, 0.09],
      ['fine', 3.1, 0.6],
      ['uh', 3.5, 0.02],
    ]);
    expect(restoreSegments(music, pieces, 0, 0.1).flatMap((s) => s.words.map((w) => [w.word, w.startS]))).toEqual([
      ['fine', 10.1],
      ['uh', 10.5],
    ]);
    // No region floor: every word; an engine without scores: its region is kept.
    expect(restoreSegments(music, pieces, 0).flatMap((s) => s.words)).toHaveLength(4);
    expect(restoreSegments(heard([['then', 0.6, null]]), pieces, 0, 0.1).flatMap((s) => s.words.map((w) => w.word))).toEqual(['then']);
  });
});
