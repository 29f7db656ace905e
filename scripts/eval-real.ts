/**
 * `npm run eval:real [-- --small] [-- --sets music,read-speech]`
 * Quality on real footage and recordings that nobody on this project made (test/fixtures/realmedia,
 * sources and licences in its README; more under REAL_MEDIA_DIR, default /work/shared/realmedia):
 * word error rates, words invented on music, and whatever the other sets in scripts/real-eval/sets.ts
 * measure. Each figure is printed with its target. test/real-eval/real-eval.e2e-spec.ts runs the
 * small size in CI and asserts the targets.
 */
import 'reflect-metadata';
import { loadConfig } from '@heimdex/config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatRealEvalReport, repositoryRoot } from './real-eval/real-eval-set';
import { runRealEval } from './real-eval/run-real-eval';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { small: { type: 'boolean', default: false }, sets: { type: 'string' }, verbose: { type: 'boolean', default: false } },
  });
  const root = mkdtempSync(join(tmpdir(), 'heimdex-eval-real-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({
    rootDir: root,
    env: { ...process.env, SUPABASE_JWT_SECRET: process.env.SUPABASE_JWT_SECRET ?? 'eval-secret-that-is-long-enough-0123456789' },
  });
  try {
    const results = await runRealEval({
      config,
      fixturesDir: join(repositoryRoot(), 'test', 'fixtures', 'realmedia'),
      sharedDir: process.env.REAL_MEDIA_DIR ?? '/work/shared/realmedia',
      small: values.small ?? false,
      workDir: root,
      only: values.sets ? values.sets.split(',') : null,
      log: values.verbose ? (m) => console.log(`  ${m}`) : () => undefined,
    });
    console.log(formatRealEvalReport(results));
    const missed = results.flatMap((r) => ('metrics' in r.result ? r.result.metrics.filter((m) => m.met === false) : []));
    if (missed.length || results.some((r) => 'error' in r.result)) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
