import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadEntry } from './engine-thread';

/** Which file an engine thread runs: compiled beside it, the fresh build `npm test` made, or the source through ts-node. */
describe('threadEntry', () => {
  const sourceDir = __dirname;

  it('runs the compiled entry beside it when there is one (a built app)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heimdex-entry-'));
    writeFileSync(join(dir, 'engine-thread-main.js'), '');
    expect(threadEntry(dir, {})).toEqual({ file: join(dir, 'engine-thread-main.js'), execArgv: [] });
  });

  it('from the sources, runs the same folder of the fresh build when npm test made one', () => {
    const build = mkdtempSync(join(tmpdir(), 'heimdex-build-'));
    const built = join(build, 'libs', 'ml', 'src', 'threads');
    mkdirSync(built, { recursive: true });
    writeFileSync(join(built, 'engine-thread-main.js'), '');
    expect(threadEntry(sourceDir, { HEIMDEX_FRESH_BUILD: build })).toEqual({ file: join(built, 'engine-thread-main.js'), execArgv: [] });
  });

  it('from the sources without a build (or one missing the entry), runs the .ts through ts-node', () => {
    const ts = { file: join(sourceDir, 'engine-thread-main.ts'), execArgv: ['--require', 'ts-node/register/transpile-only'] };
    expect(threadEntry(sourceDir, {})).toEqual(ts);
    expect(threadEntry(sourceDir, { HEIMDEX_FRESH_BUILD: mkdtempSync(join(tmpdir(), 'heimdex-build-')) })).toEqual(ts);
  });
});
