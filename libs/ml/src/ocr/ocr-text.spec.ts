import { cleanOcrLines, normaliseOcrText, spanOcrLines, textSimilarity } from './ocr-text';

const line = (text: string, confidence = 0.95, frameS = 0) => ({ text, confidence, frameS });

describe('normaliseOcrText', () => {
  it('collapses whitespace runs, trims, and folds compatibility forms', () => {
    expect(normaliseOcrText('  QUARTERLY \t SALES\n REVIEW ')).toBe('QUARTERLY SALES REVIEW');
    expect(normaliseOcrText('ＳＡＬＥ　５０％')).toBe('SALE 50%');
    expect(normaliseOcrText('ﬁnal')).toBe('final');
  });
});

describe('textSimilarity', () => {
  it('is 1 for equal texts and drops with each edit relative to the longer text', () => {
    expect(textSimilarity('abc', 'abc')).toBe(1);
    expect(textSimilarity('', '')).toBe(1);
    expect(textSimilarity('QUARTERLY SALES REVIEW', 'QUARTERLY SALES REVIEVV')).toBeCloseTo(1 - 2 / 23, 10);
    expect(textSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 10);
    expect(textSimilarity('abc', '')).toBe(0);
  });
});

describe('cleanOcrLines', () => {
  it('drops low-confidence lines and lines with fewer than two letters or digits', () => {
    const out = cleanOcrLines([line('QUARTERLY SALES', 0.98), line('blurry', 0.5), line('I'), line('| -'), line('—'), line('Q3'), line('8')]);
    expect(out.map((l) => l.text)).toEqual(['QUARTERLY SALES', 'Q3']);
  });

  it('keeps exact repeats across frames once, normalised, with the fields of the line kept', () => {
    const out = cleanOcrLines([line('QUARTERLY  SALES', 0.9, 1), line('quarterly sales', 0.8, 2), line('QUARTERLY SALES ', 0.97, 3), line('Agenda', 0.9, 3)]);
    expect(out).toEqual([
      { text: 'QUARTERLY SALES', confidence: 0.97, frameS: 3 },
      { text: 'Agenda', confidence: 0.9, frameS: 3 },
    ]);
  });

  it('merges near-duplicate misreads from different frames, keeping the reading seen most often', () => {
    const out = cleanOcrLines([
      line('QUARTERLY SALES REVIEVV', 0.99, 0),
      line('QUARTERLY SALES REVIEW', 0.9, 1),
      line('QUARTERLY SALES REVIEW', 0.91, 2),
      line('OUARTERLY SALES REVIEW', 0.95, 3),
    ]);
    expect(out).toEqual([{ text: 'QUARTERLY SALES REVIEW', confidence: 0.91, frameS: 2 }]);
  });

  it('on a tie in votes keeps the reading fewest edits from the others (not a confident one-frame misread), then the more confident', () => {
    const readings = ['Big Buck BUNNY', 'Big Buck 8UNNY', 'Big 8uck BUNNY', 'BIg Buck BUNNY'];
    const confidence = [0.9, 0.99, 0.95, 0.92];
    expect(cleanOcrLines(readings.map((text, i) => line(text, confidence[i], i))).map((l) => l.text)).toEqual(['Big Buck BUNNY']);
    const out = cleanOcrLines([line('Revenue up twelve', 0.8, 0), line('Revenue up tvvelve', 0.9, 1)]);
    expect(out).toEqual([{ text: 'Revenue up tvvelve', confidence: 0.9, frameS: 1 }]);
  });

  it('keeps similar texts apart when their digits differ or they share a frame', () => {
    expect(cleanOcrLines([line('Quarter results 2023', 0.9, 0), line('Quarter results 2024', 0.9, 1)]).map((l) => l.text)).toEqual([
      'Quarter results 2023',
      'Quarter results 2024',
    ]);
    expect(cleanOcrLines([line('Speaker: Anna Smith', 0.9, 5), line('Speaker: Anne Smith', 0.9, 5)])).toHaveLength(2);
    expect(cleanOcrLines([line('Speaker: Anna Smith', 0.9, 5), line('Speaker: Anne Smith', 0.9, 6)])).toHaveLength(1);
  });

  it('keeps distinct texts in first-seen order and honours custom thresholds', () => {
    const lines = [line('Closing remarks', 0.75, 0), line('Agenda', 0.9, 0), line('Closing remarks', 0.9, 1)];
    expect(cleanOcrLines(lines).map((l) => l.text)).toEqual(['Closing remarks', 'Agenda']);
    expect(cleanOcrLines(lines, { minConfidence: 0.8 }).map((l) => l.text)).toEqual(['Agenda', 'Closing remarks']);
    expect(cleanOcrLines([line('cat', 0.9, 0), line('bat', 0.9, 1)], { sameTextSimilarity: 0.6 })).toHaveLength(1);
    expect(cleanOcrLines([line('cat', 0.9, 0), line('bat', 0.9, 1)])).toHaveLength(2);
  });

  it('works on lines without a frame time', () => {
    expect(
      cleanOcrLines([
        { text: 'Hello wide world', confidence: 0.9 },
        { text: 'Hello wide vvorld', confidence: 0.8 },
      ]),
    ).toEqual([{ text: 'Hello wide world', confidence: 0.9 }]);
  });
});

describe('spanOcrLines', () => {
  it('makes a title read on several frames one line with the time range it shows, a brief misread not winning', () => {
    const out = spanOcrLines([
      line('Big Buck BUNNY', 0.91, 4),
      line('Big Buck BUNNY', 0.93, 4.5),
      line('Big Buck 8UNNY', 0.99, 5),
      line('Big Buck BUNNY', 0.9, 5.5),
      line('Big Buck BUNNY', 0.92, 6),
      line('www.bigbuckbunny.org', 0.9, 6),
    ]);
    expect(out).toEqual([
      { text: 'Big Buck BUNNY', confidence: 0.93, frameS: 4.5, startS: 4, endS: 6, frames: 5 },
      { text: 'www.bigbuckbunny.org', confidence: 0.9, frameS: 6, startS: 6, endS: 6, frames: 1 },
    ]);
  });

  it('keeps a text that leaves and comes back as one line spanning both appearances, and two texts of one frame apart', () => {
    const out = spanOcrLines([line('Chapter One', 0.9, 1), line('Chapter Ore', 0.9, 1), line('Chapter One', 0.9, 9)]);
    expect(out.map((l) => [l.text, l.startS, l.endS])).toEqual([
      ['Chapter One', 1, 9],
      ['Chapter Ore', 1, 1],
    ]);
  });
});
