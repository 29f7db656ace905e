import { jsonTooDeep } from './json-depth';

describe('jsonTooDeep', () => {
  const deep = (n: number) => Buffer.from('{"a":'.repeat(n) + '1' + '}'.repeat(n));

  it('counts object and array nesting', () => {
    expect(jsonTooDeep(deep(3), 3)).toBe(false);
    expect(jsonTooDeep(deep(4), 3)).toBe(true);
    expect(jsonTooDeep(Buffer.from('[[[[1]]]]'), 3)).toBe(true);
    expect(jsonTooDeep(Buffer.from('[[1],[2],[3]]'), 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeep(Buffer.from(JSON.stringify({ t: '[[[[{{{{' })), 1)).toBe(false);
    expect(jsonTooDeep(Buffer.from(JSON.stringify({ t: 'say \\"[[[[" now' })), 1)).toBe(false);
  });

  it('scans a 5000-deep body without recursion', () => {
    expect(jsonTooDeep(deep(5000), 32)).toBe(true);
  });
});
