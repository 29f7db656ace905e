import { joinOcrBoxes } from './join-ocr-boxes';

const line = (text: string, x: number, y: number, confidence = 0.9, width = 50, height = 20) => ({ text, confidence, box: { x, y, width, height } });

describe('joinOcrBoxes', () => {
  it('joins boxes on one midline left to right, lines top to bottom, and drops blank or unconfident readings', () => {
    const lines = joinOcrBoxes([
      line('world', 200, 12, 0.8),
      line('second', 10, 80),
      line('hello', 10, 10, 1),
      line(' ', 300, 10),
      line('noise', 400, 11, 0.3),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['hello world', 'second']);
    expect(lines[0].confidence).toBeCloseTo(0.9, 5);
    expect(lines[0].box).toEqual({ x: 10, y: 10, width: 240, height: 22 });
  });

  it('reads one line split into two boxes a few pixels apart as one line, left to right, then the next line', () => {
    const lines = joinOcrBoxes([line('sailor', 400, 102, 0.9, 100, 30), line('Sinbad the', 100, 100, 0.9, 100, 30), line('is here', 150, 150, 0.9, 100, 30)]);
    expect(lines.map((l) => l.text)).toEqual(['Sinbad the sailor', 'is here']);
  });

  it('keeps stacked lines top to bottom even when the lower one starts further left', () => {
    const lines = joinOcrBoxes([line('second', 50, 140, 0.9, 100, 30), line('first', 300, 100, 0.9, 100, 30)]);
    expect(lines.map((l) => l.text)).toEqual(['first', 'second']);
  });

  it('gives nothing for nothing', () => {
    expect(joinOcrBoxes([])).toEqual([]);
  });
});
