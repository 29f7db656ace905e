import { pgArray } from './pg-array';

describe('pgArray', () => {
  it('writes ids and numbers as one array literal', () => {
    expect(pgArray([])).toBe('{}');
    expect(pgArray(['3f0c9a4e-1b2d-4c5e-8f90-123456789abc', 'b'])).toBe('{3f0c9a4e-1b2d-4c5e-8f90-123456789abc,b}');
    expect(pgArray([0.95, 1, -2e-7])).toBe('{0.95,1,-2e-7}');
  });

  it('refuses anything that would need quoting', () => {
    expect(() => pgArray(['a,b'])).toThrow(/not a plain id/);
    expect(() => pgArray(['a"}'])).toThrow(/not a plain id/);
    expect(() => pgArray([''])).toThrow(/not a plain id/);
    expect(() => pgArray([Number.NaN])).toThrow(/not a finite number/);
  });
});
