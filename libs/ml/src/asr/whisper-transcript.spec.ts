import { segmentsFromPhrases, segmentsFromWords, type WhisperChunk } from './whisper-transcript';

const w = (text: string, start: number, end: number | null): WhisperChunk => ({ text, timestamp: [start, end] });

describe('Whisper word chunks to segments', () => {
  it('splits at sentence ends and keeps Whisper text while words lose their punctuation', () => {
    const chunks = [
      w(' And', 0, 0.78),
      w(' so,', 0.78, 1.06),
      w(' my', 1.06, 1.46),
      w(' fellow', 1.46, 1.8),
      w(' Americans.', 1.8, 2.5),
      w(' Ask', 2.6, 2.9),
      w(' not!', 2.9, 3.3),
    ];
    const segments = segmentsFromWords(chunks, 10);
    expect(segments).toEqual([
      {
        startS: 0,
        endS: 2.5,
        text: 'And so, my fellow Americans.',
        words: [
          { word: 'And', startS: 0, endS: 0.78, confidence: null },
          { word: 'so', startS: 0.78, endS: 1.06, confidence: null },
          { word: 'my', startS: 1.06, endS: 1.46, confidence: null },
          { word: 'fellow', startS: 1.46, endS: 1.8, confidence: null },
          { word: 'Americans', startS: 1.8, endS: 2.5, confidence: null },
        ],
      },
      { startS: 2.6, endS: 3.3, text: 'Ask not!', words: [expect.objectContaining({ word: 'Ask' }), expect.objectContaining({ word: 'not' })] },
    ]);
  });

  it('splits at a pause longer than a second', () => {
    const segments = segmentsFromWords([w(' hello', 1, 1.4), w(' world', 1.45, 1.9), w(' the', 6, 6.2), w(' stock', 6.2, 6.6)], 10);
    expect(segments.map((s) => [s.text, s.startS, s.endS])).toEqual([
      ['hello world', 1, 1.9],
      ['the stock', 6, 6.6],
    ]);
  });

  it('keeps apostrophes inside words and scripts written without spaces intact', () => {
    const [en] = segmentsFromWords([w(" don't", 0, 0.3), w(' "stop"', 0.3, 0.6)], 5);
    expect(en.words.map((x) => x.word)).toEqual(["don't", 'stop']);
    const [ja] = segmentsFromWords([w('こんにちは', 0, 0.5), w('世界。', 0.5, 1)], 5);
    expect(ja.text).toBe('こんにちは世界。');
    expect(ja.words.map((x) => x.word)).toEqual(['こんにちは', '世界']);
  });

  it('closes an open last timestamp at the next word or the end of the audio, and clamps to the audio', () => {
    const segments = segmentsFromWords([w(' one', 0.5, null), w(' two', 0.9, 0.95), w(' three', 9.8, null)], 10.2);
    expect(segments.flatMap((s) => s.words.map((x) => [x.word, x.startS, x.endS]))).toEqual([
      ['one', 0.5, 0.9],
      ['two', 0.9, 0.95],
      ['three', 9.8, 10.2],
    ]);
    const [late] = segmentsFromWords([w(' late', 11, 12.5)], 10);
    expect([late.startS, late.endS]).toEqual([10, 10]);
  });

  it('keeps words in time order where merged windows overlap', () => {
    const segments = segmentsFromWords([w(' a', 29.5, 29.8), w(' b', 29.2, 29.9), w(' c', 30, 30.4)], 60);
    const starts = segments.flatMap((s) => s.words.map((x) => x.startS));
    expect(starts).toEqual([29.5, 29.5, 30]);
  });

  it('drops empty chunks and lone punctuation at a segment start, and gives nothing for no speech', () => {
    expect(segmentsFromWords([w(' ', 0, 0.1), w(' -', 0.1, 0.2), w(' yes', 0.2, 0.5)], 1)).toEqual([
      { startS: 0.2, endS: 0.5, text: 'yes', words: [{ word: 'yes', startS: 0.2, endS: 0.5, confidence: null }] },
    ]);
    expect(segmentsFromWords([], 30)).toEqual([]);
  });

  it('caps a segment at 30 s of unbroken speech', () => {
    const chunks = Array.from({ length: 80 }, (_, i) => w(' la', i * 0.5, i * 0.5 + 0.45));
    const segments = segmentsFromWords(chunks, 60);
    expect(segments.length).toBe(2);
    expect(segments[0].endS - segments[0].startS).toBeLessThanOrEqual(30);
    expect(segments.reduce((n, s) => n + s.words.length, 0)).toBe(80);
  });
});

describe('Whisper phrase chunks to segments', () => {
  it('makes one segment per phrase with no words', () => {
    expect(segmentsFromPhrases([w(' Hello world.', 0, 2.1), w(' ', 2.1, 2.2), w(' The stock market', 5, null)], 8)).toEqual([
      { startS: 0, endS: 2.1, text: 'Hello world.', words: [] },
      { startS: 5, endS: 8, text: 'The stock market', words: [] },
    ]);
  });
});
