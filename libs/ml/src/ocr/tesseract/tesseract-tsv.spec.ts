import { parseTesseractTsv } from './tesseract-tsv';

const TSV = [
  'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
  '1\t1\t0\t0\t0\t0\t0\t0\t1280\t720\t-1\t',
  '4\t1\t1\t1\t1\t0\t100\t50\t300\t40\t-1\t',
  '5\t1\t1\t1\t1\t1\t100\t50\t120\t40\t96\tHello',
  '5\t1\t1\t1\t1\t2\t240\t52\t160\t38\t90\tworld',
  '5\t1\t2\t1\t1\t1\t10\t600\t40\t20\t-1\t ',
  '5\t1\t2\t1\t1\t2\t60\t600\t50\t20\t80\tnext',
  '',
].join('\n');

describe('parseTesseractTsv', () => {
  it('groups words by block, paragraph and line, with mean confidence and a box around them; non-words dropped', () => {
    expect(parseTesseractTsv(TSV)).toEqual([
      { text: 'Hello world', confidence: expect.closeTo(0.93, 6), box: { x: 100, y: 50, width: 300, height: 40 } },
      { text: 'next', confidence: 0.8, box: { x: 60, y: 600, width: 50, height: 20 } },
    ]);
  });

  it('rejects output without the columns it reads', () => {
    expect(() => parseTesseractTsv('level\ttext\n5\thello')).toThrow('tesseract TSV has no block_num column');
  });
});
