import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILD_STEPS, needsBuild } from './bootstrap';

/** A warm `npm start` / `npm test` must not compile anything: the build decision over a scratch checkout. */
describe('bootstrap: build only what changed', () => {
  const step = { inputs: ['apps', 'tsconfig.json'], stamp: 'dist/.stamp' };
  let base: string;
  const at = (path: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(base, path), t, t);
  };

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'heimdex-bootstrap-'));
    for (const dir of ['apps/api/src', 'dist']) mkdirSync(join(base, dir), { recursive: true });
    for (const file of ['apps/api/src/main.ts', 'apps/api/src/main.spec.ts', 'apps/api/src/gone.ts', 'tsconfig.json', 'dist/.stamp'])
      writeFileSync(join(base, file), 'x');
    // Sources written two minutes ago, built one minute ago: a warm start.
    for (const path of ['apps/api/src/main.ts', 'apps/api/src/main.spec.ts', 'apps/api/src/gone.ts', 'apps/api/src', 'apps/api', 'apps', 'tsconfig.json'])
      at(path, 120);
    at('dist/.stamp', 60);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('builds when there is no stamp yet', () => {
    unlinkSync(join(base, 'dist/.stamp'));
    expect(needsBuild(step, base)).toBe(true);
  });

  it('does not rebuild when every input is older than the stamp', () => {
    expect(needsBuild(step, base)).toBe(false);
  });

  it('rebuilds when a source file changed, or a top-level input file', () => {
    at('apps/api/src/main.ts', 0);
    expect(needsBuild(step, base)).toBe(true);
    at('apps/api/src/main.ts', 120);
    at('tsconfig.json', 0);
    expect(needsBuild(step, base)).toBe(true);
  });

  it('rebuilds when a source file was deleted (its folder changed)', () => {
    unlinkSync(join(base, 'apps/api/src/gone.ts'));
    expect(needsBuild(step, base)).toBe(true);
  });

  it('ignores spec files, dist and node_modules under the inputs', () => {
    at('apps/api/src/main.spec.ts', 0);
    mkdirSync(join(base, 'apps/api/node_modules'));
    writeFileSync(join(base, 'apps/api/node_modules/x.js'), 'x');
    at('apps/api', 120);
    expect(needsBuild(step, base)).toBe(false);
  });

  it('no real step has its stamp among its own inputs (it would rebuild on every start)', () => {
    for (const s of BUILD_STEPS) {
      expect(s.inputs.some((input) => s.stamp === input || s.stamp.startsWith(`${input}/`))).toBe(false);
    }
  });

  it('the server build does not go stale when the console is built or its browser tests run (both write under apps/web)', () => {
    const server = BUILD_STEPS.find((s) => s.stamp === 'dist/.heimdex-build-server')!;
    mkdirSync(join(base, 'dist'), { recursive: true });
    writeFileSync(join(base, server.stamp), 'x');
    at(server.stamp, 60);
    expect(needsBuild(server, base)).toBe(false);
    for (const dir of ['apps/web/src/api', 'apps/web/dist', 'apps/web/test-results']) mkdirSync(join(base, dir), { recursive: true });
    writeFileSync(join(base, 'apps/web/src/api/schema.d.ts'), 'x');
    expect(needsBuild(server, base)).toBe(false);
    at('apps/api/src/main.ts', 0);
    expect(needsBuild(server, base)).toBe(true);
  });

  it('the server build watches every app it compiles (all but the console, which tsconfig.build.json leaves out)', () => {
    const server = BUILD_STEPS.find((s) => s.stamp === 'dist/.heimdex-build-server')!;
    const root = join(__dirname, '..');
    const excluded = (JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { exclude: string[] }).exclude;
    const compiled = readdirSync(join(root, 'apps'))
      .map((name) => `apps/${name}`)
      .filter((app) => !excluded.includes(app));
    expect(compiled).toContain('apps/api');
    expect(compiled.filter((app) => !server.inputs.includes(app))).toEqual([]);
  });
});
