import { createPocketsphinxParser, dictionaryWord, isFillerToken, parsePocketsphinxOutput } from './pocketsphinx-output';

/** pocketsphinx_continuous -time yes on this machine (5prealpha), plus a [NOISE] and a <sil> mid-utterance. */
const continuousOutput = [
  '',
  '<s> 0.000 0.610 1.000000',
  '</s> 0.620 0.930 1.000000',
  'hello world',
  '<s> 0.880 0.970 0.999600',
  'hello 0.980 1.320 0.989653',
  '<sil> 1.330 1.400 0.538283',
  'world(2) 1.410 1.860 1.000100',
  '</s> 1.870 2.280 1.000000',
  'the stock market',
  '<s> 5.750 5.970 0.999100',
  'the 5.980 6.090 0.617945',
  '[NOISE] 6.100 6.130 0.400000',
  'stock 6.140 6.510 0.924771',
  'market 6.520 7.150 8.5034e-01',
  '</s> 7.160 7.840 1.000000',
].join('\n');

describe('pocketsphinx_continuous output', () => {
  it('gives one segment per utterance with its words, fillers and alternate-pronunciation marks removed', () => {
    const segments = parsePocketsphinxOutput(continuousOutput, 'continuous');
    expect(segments).toEqual([
      {
        startS: 0.98,
        endS: 1.86,
        text: 'hello world',
        words: [
          { word: 'hello', startS: 0.98, endS: 1.32, confidence: 0.989653 },
          // the posterior of 1.0001 is clamped
          { word: 'world', startS: 1.41, endS: 1.86, confidence: 1 },
        ],
      },
      {
        startS: 5.98,
        endS: 7.15,
        text: 'the stock market',
        words: [
          { word: 'the', startS: 5.98, endS: 6.09, confidence: 0.617945 },
          { word: 'stock', startS: 6.14, endS: 6.51, confidence: 0.924771 },
          { word: 'market', startS: 6.52, endS: 7.15, confidence: 0.85034 },
        ],
      },
    ]);
  });

  it('gives nothing for output with only silence', () => {
    expect(parsePocketsphinxOutput('\n<s> 0.000 0.610 1.000000\n</s> 0.620 0.930 1.000000\n', 'continuous')).toEqual([]);
  });

  it('separates utterances by hypothesis line even when </s> is missing, and closes the last one at finish', () => {
    const parser = createPocketsphinxParser('continuous');
    for (const line of ['one two', 'one 0.100 0.300 0.9', 'two 0.310 0.500 0.9', 'three', 'three 4.000 4.400 0.8']) parser.push(line);
    expect(parser.finish().map((s) => s.text)).toEqual(['one two', 'three']);
  });

  it('accepts CRLF line ends', () => {
    const segments = parsePocketsphinxOutput('hello\r\n<s> 0.0 0.5 1\r\nhello 0.5 0.9 0.7\r\n</s> 0.9 1.0 1\r\n', 'continuous');
    expect(segments).toEqual([{ startS: 0.5, endS: 0.9, text: 'hello', words: [{ word: 'hello', startS: 0.5, endS: 0.9, confidence: 0.7 }] }]);
  });
});

describe('pocketsphinx live (5.x) JSON lines', () => {
  // The shape printed by pocketsphinx 5's format_hyp/format_seg: "d" is a duration.
  const jsonOutput = [
    '{"b":0.880,"d":1.400,"p":0.950,"t":"hello world","w":[{"b":0.880,"d":0.100,"p":1.000,"t":"<s>"},{"b":0.980,"d":0.350,"p":0.990,"t":"hello"},{"b":1.330,"d":0.080,"p":0.540,"t":"<sil>"},{"b":1.410,"d":0.460,"p":1.000,"t":"world(2)"},{"b":1.870,"d":0.410,"p":1.000,"t":"</s>"}]}',
    '{"b":3.000,"d":0.500,"p":1.000,"t":"","w":[{"b":3.000,"d":0.500,"p":1.000,"t":"<sil>"}]}',
    '{"b":5.980,"d":1.180,"p":0.600,"t":"stock","w":[{"b":6.140,"d":0.380,"p":0.920,"t":"stock"},{"b":6.520,"d":0.100,"p":0.300,"t":"[NOISE]"}]}',
  ].join('\n');

  it('maps each utterance object to a segment with absolute word times', () => {
    const segments = parsePocketsphinxOutput(jsonOutput, 'json');
    expect(segments.map((s) => s.text)).toEqual(['hello world', 'stock']);
    expect(segments[0].words).toEqual([
      { word: 'hello', startS: 0.98, endS: expect.closeTo(1.33, 6), confidence: 0.99 },
      { word: 'world', startS: 1.41, endS: expect.closeTo(1.87, 6), confidence: 1 },
    ]);
    expect(segments[1]).toMatchObject({ startS: 6.14, endS: expect.closeTo(6.52, 6) });
  });

  it('fails on a line that is not JSON rather than dropping speech silently', () => {
    expect(() => parsePocketsphinxOutput('{"b":0.1,"w":[', 'json')).toThrow(/not JSON/);
  });
});

describe('decoder tokens', () => {
  it.each(['<s>', '</s>', '<sil>', '[NOISE]', '[SPEECH]', '++BREATH++', 'NULL'])('%s is a filler', (t) => expect(isFillerToken(t)).toBe(true));
  it.each(['hello', "don't", 'a.m.', 'read(2)'])('%s is a word', (t) => expect(isFillerToken(t)).toBe(false));
  it('drops the pronunciation index', () => {
    expect(dictionaryWord('read(2)')).toBe('read');
    expect(dictionaryWord('read')).toBe('read');
  });
});
