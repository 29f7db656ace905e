import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Another commit of this repository, extracted (git archive: the shared .git is not touched, no
 * worktree is registered) into a temp folder, given this checkout's node_modules and built into
 * its own dist/ with this checkout's tsc. Kept between runs (keyed by commit) so a second
 * comparison does not build it again. Returns the folder.
 */
export function builtRefCheckout(repoRoot: string, ref: string): { root: string; commit: string } {
  const commit = execFileSync('git', ['-C', repoRoot, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const root = join(tmpdir(), `heimdex-bench-ref-${commit.slice(0, 12)}`);
  const stamp = join(root, 'dist', '.heimdex-bench-ref-built');
  if (existsSync(stamp)) return { root, commit };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  execFileSync('sh', ['-c', `git -C '${repoRoot}' archive '${commit}' | tar -x -C '${root}'`], { stdio: 'inherit' });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  const bin = (pkg: string, file: string) => join(repoRoot, 'node_modules', pkg, file);
  console.log(`building ${ref} (${commit.slice(0, 10)}) in ${root} ...`);
  execFileSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [bin('tsc-alias', 'dist/bin/index.js'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, commit);
  return { root, commit };
}
