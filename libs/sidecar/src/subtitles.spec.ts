import { MAX_CUE_CHARS, subtitleCues, toSrt, toWebVtt, type SubtitleSource } from '@heimdex/sidecar';

const w = (word: string, startS: number, endS: number) => ({ word, startS, endS, confidence: null });

/** A short segment with markup-like text, and a 9.25 s one that must be split at 7 s. */
const transcript: SubtitleSource = {
  segments: [
    {
      startS: 0,
      endS: 2.5,
      text: 'Hello <b>& welcome',
      words: [w('Hello', 0, 0.5), w('<b>&', 0.6, 1), w('welcome', 1.1, 2.5)],
    },
    {
      startS: 3,
      endS: 12.25,
      text: 'The quick brown fox jumps over the lazy dog and runs away',
      words: [
        w('The', 3, 3.4),
        w('quick', 3.5, 4),
        w('brown', 4.1, 4.6),
        w('fox', 4.7, 5),
        w('jumps', 5.2, 6),
        w('over', 6.1, 7),
        w('the', 7.1, 7.4),
        w('lazy', 7.5, 8.2),
        w('dog', 8.3, 9.5),
        w('and', 10.2, 10.5),
        w('runs', 10.6, 11.3),
        w('away', 11.4, 12.25),
      ],
    },
  ],
};

describe('toWebVtt', () => {
  it('writes cues with escaped text, splitting the long segment at word boundaries', () => {
    expect(toWebVtt(transcript)).toBe(
      [
        'WEBVTT',
        '',
        '00:00:00.000 --> 00:00:02.500',
        'Hello &lt;b&gt;&amp; welcome',
        '',
        '00:00:03.000 --> 00:00:09.500',
        'The quick brown fox jumps over the lazy dog',
        '',
        '00:00:10.200 --> 00:00:12.250',
        'and runs away',
        '',
      ].join('\n'),
    );
  });

  it('gives a header-only file for an empty transcript', () => {
    expect(toWebVtt({ segments: [] })).toBe('WEBVTT\n');
    expect(toWebVtt({ segments: [], source: 'captions' })).toBe('WEBVTT - captions\n');
    expect(toWebVtt({ segments: [{ startS: 0, endS: 1, text: '  \n ', words: [] }] })).toBe('WEBVTT\n');
  });

  it('writes hours, and keeps a segment on one line so a blank line cannot end its cue early', () => {
    const late = { segments: [{ startS: 3725.5, endS: 3727.0004, text: 'first line\n\nsecond line', words: [] }] };
    expect(toWebVtt(late)).toBe('WEBVTT\n\n01:02:05.500 --> 01:02:07.000\nfirst line second line\n');
  });
});

describe('toSrt', () => {
  it('numbers cues from 1 with comma milliseconds and leaves the text as it is', () => {
    expect(toSrt(transcript)).toBe(
      [
        '1',
        '00:00:00,000 --> 00:00:02,500',
        'Hello <b>& welcome',
        '',
        '2',
        '00:00:03,000 --> 00:00:09,500',
        'The quick brown fox jumps over the lazy dog',
        '',
        '3',
        '00:00:10,200 --> 00:00:12,250',
        'and runs away',
        '',
      ].join('\n'),
    );
  });

  it('gives an empty file for an empty transcript', () => {
    expect(toSrt({ segments: [] })).toBe('');
  });
});

describe('subtitleCues', () => {
  it(`splits a short segment whose text is longer than ${MAX_CUE_CHARS} characters`, () => {
    const words = Array.from({ length: 20 }, (_, i) => w(`word${String(i).padStart(2, '0')}`, i * 0.25, i * 0.25 + 0.2));
    const text = words.map((x) => x.word).join(' ');
    expect(text.length).toBeGreaterThan(MAX_CUE_CHARS);

    const cues = subtitleCues({ segments: [{ startS: 0, endS: 5, text, words }] });

    // 11 six-character words and their spaces make 76 characters; a 12th would make 83.
    expect(cues).toEqual([
      {
        startS: 0,
        endS: 2.7,
        text: words
          .slice(0, 11)
          .map((x) => x.word)
          .join(' '),
      },
      {
        startS: 2.75,
        endS: 4.95,
        text: words
          .slice(11)
          .map((x) => x.word)
          .join(' '),
      },
    ]);
  });

  it('keeps a long segment whole when it has no words to split at', () => {
    const text = 'a long segment without word timings';
    expect(subtitleCues({ segments: [{ startS: 1, endS: 20, text, words: [] }] })).toEqual([{ startS: 1, endS: 20, text }]);
  });

  it('orders segments by time', () => {
    const cues = subtitleCues({ segments: [...transcript.segments].reverse() });
    expect(cues.map((c) => c.startS)).toEqual([0, 3, 10.2]);
  });
});
