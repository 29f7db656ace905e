import { BadRequestException } from '@nestjs/common';
import { RejectNulPipe } from './reject-nul.pipe';

describe('RejectNulPipe', () => {
  const pipe = new RejectNulPipe();

  it('names the field holding a NUL, nested or in an array', () => {
    expect(() => pipe.transform({ title: 'a\u0000b' }, { type: 'body' })).toThrow(new BadRequestException('title must not contain NUL characters'));
    expect(() => pipe.transform({ tags: ['ok', 'x\u0000'] }, { type: 'query' })).toThrow('tags.1 must not contain NUL characters');
    expect(() => pipe.transform('a\u0000', { type: 'param', data: 'id' })).toThrow('id must not contain NUL characters');
    expect(() => pipe.transform({ ['k\u0000']: 1 }, { type: 'body' })).toThrow(BadRequestException);
  });

  it('passes everything else through unchanged', () => {
    const body = { title: 'fine', n: 1, nested: { list: [null, 'x'] } };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform(Buffer.from([0]), { type: 'body' })).toEqual(Buffer.from([0]));
  });
});
