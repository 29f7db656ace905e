import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..');

interface NestProject {
  type: 'application' | 'library';
  root: string;
  entryFile: string;
  sourceRoot: string;
}

const nestCli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as { projects: Record<string, NestProject> };
const folders = (parent: string): string[] =>
  readdirSync(join(root, parent), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
/** Nest apps are the folders of apps/ with a src/main.ts (apps/web is a Vite app, built by Vite). */
const nestApps = folders('apps').filter((name) => existsSync(join(root, 'apps', name, 'src', 'main.ts')));
const libs = folders('libs');

/** nest-cli.json is the monorepo's description (jest.config.js reads its libraries): it must match the folders. */
describe('monorepo layout', () => {
  it('nest-cli.json lists every Nest app and every lib, each where it is', () => {
    const projects = Object.entries(nestCli.projects);
    expect(
      projects
        .filter(([, p]) => p.type === 'application')
        .map(([name]) => name)
        .sort(),
    ).toEqual(nestApps);
    expect(
      projects
        .filter(([, p]) => p.type === 'library')
        .map(([name]) => name)
        .sort(),
    ).toEqual(libs);
    for (const [name, p] of projects) {
      const folder = p.type === 'application' ? `apps/${name}` : `libs/${name}`;
      expect({ name, root: p.root, sourceRoot: p.sourceRoot }).toEqual({ name, root: folder, sourceRoot: `${folder}/src` });
      expect(existsSync(join(root, p.sourceRoot, `${p.entryFile}.ts`))).toBe(true);
    }
  });

  it('every lib has its @heimdex/<name> path in tsconfig.json', () => {
    const tsconfig = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config as { compilerOptions: { paths: Record<string, string[]> } };
    expect(tsconfig.compilerOptions.paths).toEqual(Object.fromEntries(libs.map((lib) => [`@heimdex/${lib}`, [`libs/${lib}/src`]])));
  });

  it('the production build (tsconfig.build.json) compiles no tests and nothing under test/', () => {
    const file = join(root, 'tsconfig.build.json');
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(file, ts.sys.readFile).config, ts.sys, root, undefined, file);
    expect(parsed.errors).toEqual([]);
    // Resolution only (no type check): every file the build would emit, including what its includes import.
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
    const compiled = program
      .getSourceFiles()
      .map((f) => relative(root, f.fileName))
      .filter((f) => !f.startsWith('node_modules/') && !f.startsWith('..'));
    expect(compiled.length).toBeGreaterThan(100);
    expect(compiled.filter((f) => /(^|\/)test\/|\.(e2e-)?spec\.ts$/.test(f))).toEqual([]);
  }, 120_000);
});
