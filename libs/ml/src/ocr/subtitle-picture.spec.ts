import { readingOrder } from './subtitle-picture';

const line = (text: string, x: number, y: number, height = 30) => ({ text, box: { x, y, width: 100, height } });

describe('readingOrder', () => {
  it('reads one line split into two boxes a few pixels apart left to right, then the next line', () => {
    const lines = [line('sailor', 400, 102), line('Sinbad the', 100, 100), line('is here', 150, 150)];
    expect(readingOrder(lines).map((l) => l.text)).toEqual(['Sinbad the', 'sailor', 'is here']);
  });

  it('keeps stacked lines top to bottom even when the lower one starts further left', () => {
    const lines = [line('second', 50, 140), line('first', 300, 100)];
    expect(readingOrder(lines).map((l) => l.text)).toEqual(['first', 'second']);
  });
});
