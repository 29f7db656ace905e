import type { AppConfig } from '@heimdex/config';
import { parseArgs } from 'node:util';
import { builtInModels } from './built-in-models';
import { HostUnreachableError } from './pull/hub-download';
import { describeProgress, pullModels } from './pull/model-pull';
import type { DownloadProgress } from './pull/hub-download';
import { RECOMMENDED_MODELS, type RecommendedModel } from './pull/recommended-models';
import type { ModelCheck } from './registry/model-files';
import type { ModelTask } from './registry/model-manifest';
import { ModelRegistry } from './registry/model-registry';

export interface ModelsCliOptions {
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Where `pull` downloads from (`--hub` overrides); the Hugging Face Hub by default. */
  hubUrl?: string;
  /** How long `pull` waits for the hub to answer before it gives up. */
  answerTimeoutMs?: number;
  /** The set `pull` knows; RECOMMENDED_MODELS by default. */
  recommended?: RecommendedModel[];
}

const USAGE = `usage: npm run models -- <command>
  list                 the models in MODEL_DIR, and what each pipeline feature would use
  verify [name]        check every model file against its sha256 (exit 1 on any mismatch)
  pull [name...]       download the recommended models (${RECOMMENDED_MODELS.filter((m) => m.byDefault)
    .map((m) => m.name)
    .join(', ')})
                       [--force] download again even when present; [--hub URL] another Hub mirror
  known to pull: ${RECOMMENDED_MODELS.map((m) => m.name).join(', ')}`;

/** `npm run models -- list | verify | pull`; resolves to the exit code. */
export async function runModelsCli(args: string[], config: AppConfig, options: ModelsCliOptions = {}): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const [command, ...rest] = args;
  const registry = await ModelRegistry.load(config.modelDir);
  switch (command) {
    case 'list':
      await list(config, registry, out);
      return 0;
    case 'verify':
      return verify(registry, rest[0], out, err);
    case 'pull':
      return pull(config, registry, rest, options, out, err);
    default:
      err(USAGE);
      return 2;
  }
}

async function list(config: AppConfig, registry: ModelRegistry, out: (line: string) => void): Promise<void> {
  out(`MODEL_DIR ${registry.modelDir}`);
  const checks = new Map((await registry.verify()).map((c) => [c.name, c]));
  const models = registry.list();
  if (models.length === 0) out('  no models (npm run models -- pull, or copy model folders there; see libs/ml/README.md)');
  out(
    table(
      models.map((m) => {
        const check = checks.get(m.manifest.name);
        return [
          m.manifest.name,
          m.manifest.version,
          m.manifest.spec.task,
          m.manifest.dims ? `${m.manifest.dims} dims` : '-',
          check ? filesSummary(check) : '?',
        ];
      }),
    ),
  );
  for (const p of registry.problems) out(`  unusable: ${p.folder}: ${p.reason}`);

  out('');
  out('pipeline features:');
  const use = (task: ModelTask, preferred: string | null): string => {
    const found = registry.find(task, preferred);
    if ('reason' in found) return `off: ${found.reason}`;
    const check = checks.get(found.manifest.name);
    if (check && !check.ok) return `off: ${found.manifest.name}: ${check.problem ?? 'files do not verify'}`;
    return `${found.manifest.name} ${found.manifest.version}`;
  };
  const asr = config.ml.asrEngine;
  const speech =
    asr === 'none'
      ? 'off (ASR_ENGINE=none)'
      : asr === 'pocketsphinx'
        ? 'pocketsphinx (ASR_ENGINE=pocketsphinx)'
        : `${use('asr-whisper', config.ml.whisperModel)} (ASR_ENGINE=${asr})`;
  out(
    table([
      ['text search embeddings', use('text-embedding', config.ml.textModel)],
      ['visual embeddings (CLIP)', use('clip', config.ml.clipModel)],
      ['speech to text', speech],
      ['OCR', config.ml.ocrEnabled ? 'on (OCR_ENABLED=true)' : 'off (OCR_ENABLED=false)'],
      ['faces', config.ml.facesEnabled ? 'on (FACES_ENABLED=true)' : 'off (FACES_ENABLED=false)'],
    ]),
  );

  out('');
  out('built-in models (ship in npm):');
  out(table((await builtInModels(config)).map((m) => [m.feature, m.status])));
}

async function verify(registry: ModelRegistry, name: string | undefined, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (name !== undefined && !registry.get(name)) {
    err(`no model named ${name} in ${registry.modelDir}`);
    return 1;
  }
  const checks = await registry.verify(name);
  if (checks.length === 0 && registry.problems.length === 0) out(`no models in ${registry.modelDir}`);
  for (const check of checks) {
    out(`${check.name}: ${check.ok ? `ok (${check.files.length} files)` : 'FAILED'}`);
    for (const f of check.files.filter((file) => file.status !== 'ok')) {
      out(f.status === 'missing' ? `  ${f.path}: missing` : `  ${f.path}: sha256 ${f.actual ?? '?'}, manifest says ${f.expected}`);
    }
  }
  const problems = name === undefined ? registry.problems : [];
  for (const p of problems) out(`${p.folder}: unusable: ${p.reason}`);
  return checks.every((c) => c.ok) && problems.length === 0 ? 0 : 1;
}

async function pull(
  config: AppConfig,
  registry: ModelRegistry,
  args: string[],
  options: ModelsCliOptions,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean', default: false }, hub: { type: 'string' } } });
  const known = options.recommended ?? RECOMMENDED_MODELS;
  const unknown = positionals.filter((n) => !known.some((m) => m.name === n));
  if (unknown.length) {
    err(`pull does not know ${unknown.join(', ')}; it knows ${known.map((m) => m.name).join(', ')}`);
    return 2;
  }
  const wanted = positionals.length ? known.filter((m) => positionals.includes(m.name)) : known.filter((m) => m.byDefault);
  const hubUrl = values.hub ?? options.hubUrl ?? 'https://huggingface.co';
  try {
    const results = await pullModels(registry, wanted, {
      hubUrl,
      timeouts: { answerMs: options.answerTimeoutMs ?? 10_000, idleMs: 60_000 },
      threads: config.ml.ortThreads,
      force: values.force ?? false,
      log: out,
      progress: progressPrinter(out),
    });
    for (const r of results) out(`${r.name}: ${r.status} ${r.detail}`);
    return results.every((r) => r.status !== 'failed') ? 0 : 1;
  } catch (e) {
    if (!(e instanceof HostUnreachableError)) throw e;
    err(`${e.message}; no models were downloaded.`);
    err(`To install models by hand, copy model folders (each with its manifest.json) into MODEL_DIR (${registry.modelDir}),`);
    err('for example from a machine where `npm run models -- pull` works. libs/ml/README.md describes the manifest format;');
    err('`npm run models -- verify` then checks the files.');
    return 1;
  }
}

function filesSummary(check: ModelCheck): string {
  if (check.ok) return 'files ok';
  const missing = check.files.filter((f) => f.status === 'missing').length;
  const mismatched = check.files.filter((f) => f.status === 'mismatch').length;
  return [missing && `${missing} missing`, mismatched && `${mismatched} mismatched`].filter(Boolean).join(', ') + ' (npm run models -- verify)';
}

/** Left-aligned columns, two spaces apart, indented. */
function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}`).join('\n');
}

/** On a terminal one line rewritten in place; otherwise a line every 5 s (logs stay readable). */
function progressPrinter(out: (line: string) => void): (file: string, p: DownloadProgress) => void {
  let last = 0;
  return (file, p) => {
    const text = `  ${file}  ${describeProgress(p)}`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${text.padEnd(78)}${p.total !== null && p.bytes >= p.total ? '\n' : ''}`);
    } else if (Date.now() - last >= 5000) {
      last = Date.now();
      out(text);
    }
  };
}
