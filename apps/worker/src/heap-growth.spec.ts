import { execFileSync } from 'node:child_process';
import { HEAP_GROWING_PERCENT } from './heap-growth';

describe('heap growth', () => {
  it("is a flag this Node's V8 still has (an unknown flag would be ignored with a warning)", () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(options).toMatch(/--heap-growing-percent \(specifies heap growing factor as \(1 \+ heap_growing_percent\/100\)\)/);
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
  });
});
