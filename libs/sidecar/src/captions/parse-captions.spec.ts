import { CaptionParseError } from './caption-parse-error';
import { captionSegments, parseCaptions } from './parse-captions';

function lineOf(fn: () => unknown): number | null {
  try {
    fn();
  } catch (err) {
    if (err instanceof CaptionParseError) return err.line;
    throw err;
  }
  return null;
}

describe('parseCaptions: WebVTT', () => {
  it('reads cues with identifiers, settings, hour-less times, markup, entities and skipped NOTE/STYLE blocks', () => {
    const vtt = [
      '\uFEFFWEBVTT - a film',
      '',
      'STYLE',
      '::cue { color: yellow }',
      '',
      'NOTE written by hand',
      '',
      '1',
      '00:00:01.000 --> 00:00:03.500 line:90% align:center',
      '<v Roger>Well, <i>Mr. Kane</i> &amp; co.</v>',
      'are here',
      '',
      '00:04.250 --> 00:06.000',
      'Rosebud&nbsp;&#33;',
    ].join('\r\n');
    expect(parseCaptions(vtt, 'webvtt')).toEqual([
      { startS: 1, endS: 3.5, text: 'Well, Mr. Kane & co. are here' },
      { startS: 4.25, endS: 6, text: 'Rosebud !' },
    ]);
  });

  it('names the line of a malformed file', () => {
    expect(lineOf(() => parseCaptions('1\n00:00:01.000 --> 00:00:02.000\nhi\n', 'webvtt'))).toBe(1);
    expect(lineOf(() => parseCaptions('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n\n00:00:0x.000 --> 00:00:04.000\nthere\n', 'webvtt'))).toBe(6);
    expect(lineOf(() => parseCaptions('WEBVTT\n\ncue-3\n00:00:05.000 -> 00:00:06.000\nhi\n', 'webvtt'))).toBe(4);
    expect(lineOf(() => parseCaptions('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:03.000 -> 00:00:04.000\nbad arrow\n', 'webvtt'))).toBe(6);
    expect(lineOf(() => parseCaptions('WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nbackwards\n', 'webvtt'))).toBe(3);
    expect(lineOf(() => parseCaptions('WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nSubRip commas\n', 'webvtt'))).toBe(3);
    expect(() => parseCaptions('WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nbackwards\n', 'webvtt')).toThrow(
      'line 3: the cue ends (00:00:04.000) before it starts (00:00:05.000)',
    );
  });
});

describe('parseCaptions: SubRip', () => {
  it('reads numbered cues with comma times, HTML-ish and {\\an8} markup, in time order', () => {
    const srt = ['2', '00:00:05,000 --> 00:00:06,200', '{\\an8}<b>second</b>', '', '1', '00:00:01,5 --> 00:00:02,000', 'first', 'line two', ''].join('\n');
    expect(parseCaptions(srt, 'subrip')).toEqual([
      { startS: 1.5, endS: 2, text: 'first line two' },
      { startS: 5, endS: 6.2, text: 'second' },
    ]);
  });

  it('names the line of a malformed cue', () => {
    expect(lineOf(() => parseCaptions('1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nnot a timing line\n', 'subrip'))).toBe(6);
    expect(lineOf(() => parseCaptions('1\n00:00:01,000 --> 00:61:02,000\nok\n', 'subrip'))).toBe(2);
    expect(lineOf(() => parseCaptions('   \n\n', 'subrip'))).toBe(1);
  });
});

describe('parseCaptions: ASS/SSA', () => {
  it('reads Dialogue lines by the Format line, with commas in the text and override tags removed', () => {
    const ass = [
      '[Script Info]',
      'Title: x',
      '',
      '[Events]',
      'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
      'Dialogue: 0,0:00:02.50,0:00:04.00,Default,,0,0,0,,{\\i1}Hello,{\\i0} there\\Nfriend',
      'Comment: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,not shown',
      'Dialogue: 0,0:00:00.10,0:00:01.00,Default,,0,0,0,,First',
    ].join('\n');
    expect(parseCaptions(ass, 'ass')).toEqual([
      { startS: 0.1, endS: 1, text: 'First' },
      { startS: 2.5, endS: 4, text: 'Hello, there friend' },
    ]);
  });

  it('names the line of a malformed Dialogue', () => {
    expect(lineOf(() => parseCaptions('[Events]\nFormat: Layer, Start, End, Text\nDialogue: 0,0:00:0x.00,0:00:01.00,hi\n', 'ass'))).toBe(3);
    expect(lineOf(() => parseCaptions('[Events]\nDialogue: 0,0:00:00.00,0:00:01.00,hi\n', 'ass'))).toBe(2);
  });
});

describe('captionSegments', () => {
  it('spreads a cue’s words evenly over it', () => {
    expect(captionSegments([{ startS: 1, endS: 2, text: 'four words in cue' }])[0].words.map((w) => [w.word, w.startS, w.endS])).toEqual([
      ['four', 1, 1.25],
      ['words', 1.25, 1.5],
      ['in', 1.5, 1.75],
      ['cue', 1.75, 2],
    ]);
  });
});
