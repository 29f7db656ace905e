import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { basename, delimiter, dirname, join } from 'node:path';
import type { PocketsphinxOutputFormat } from './pocketsphinx-output';

/** A pocketsphinx acoustic model, language model and dictionary for one language. */
export interface PocketsphinxModel {
  /** The model folder's name, e.g. `en-us`. */
  code: string;
  /** ISO 639-1, e.g. `en`. */
  language: string;
  hmm: string;
  lm: string;
  dict: string;
}

/** A runnable pocketsphinx: which CLI it is (the two print different formats) and its model. */
export interface PocketsphinxInstall {
  binary: string;
  format: PocketsphinxOutputFormat;
  version: string;
  model: PocketsphinxModel;
}

export interface PocketsphinxSearch {
  /** POCKETSPHINX_PATH; null: look on PATH. */
  binaryPath: string | null;
  /** ISO 639-1 wanted; null: English, the model Debian ships. */
  language: string | null;
  /** Defaults to process.env.PATH. */
  pathVariable?: string;
  /** Folders holding model folders; defaults to `<prefix>/share/pocketsphinx/model` next to the binary, then /usr/share and /usr/local/share. */
  modelRoots?: string[];
}

export const POCKETSPHINX_INSTALL_HINT = 'apt-get install pocketsphinx pocketsphinx-en-us';

/**
 * Debian bookworm and Ubuntu noble ship 5prealpha's `pocketsphinx_continuous`; pocketsphinx 5.x
 * (Debian trixie) replaced it with `pocketsphinx`. The older one is preferred when both are there:
 * it is the one this code is tested against.
 */
const binaryNames = ['pocketsphinx_continuous', 'pocketsphinx'];

export async function findPocketsphinx(search: PocketsphinxSearch): Promise<PocketsphinxInstall | { reason: string }> {
  let binary: string;
  if (search.binaryPath) {
    if (!(await isExecutableFile(search.binaryPath))) return { reason: `POCKETSPHINX_PATH=${search.binaryPath} is not an executable file` };
    binary = search.binaryPath;
  } else {
    const found = await findOnPath(binaryNames, search.pathVariable ?? process.env.PATH ?? '');
    if (!found) return { reason: `pocketsphinx is not installed (${POCKETSPHINX_INSTALL_HINT})` };
    binary = found;
  }
  const format: PocketsphinxOutputFormat = basename(binary).startsWith('pocketsphinx_continuous') ? 'continuous' : 'json';
  const roots = search.modelRoots ?? defaultModelRoots(binary);
  const language = search.language ?? 'en';
  const model = await findModel(roots, language);
  if (!model) {
    const where = roots.join(', ');
    return language === 'en'
      ? { reason: `pocketsphinx has no English model in ${where} (apt-get install pocketsphinx-en-us)` }
      : {
          reason: `pocketsphinx has no model for ASR_LANGUAGE=${language} in ${where}; transcribing ${language} needs a multilingual Whisper model in MODEL_DIR`,
        };
  }
  return { binary, format, version: await packageVersion(binary, format), model };
}

/**
 * A model folder for `language`: named `<language>` or `<language>-<region>` (en-us), holding an
 * acoustic model folder (with `mdef`), a word language model and a dictionary.
 */
export async function findModel(roots: string[], language: string): Promise<PocketsphinxModel | null> {
  for (const root of roots) {
    const names = (await listDir(root)).filter((n) => n === language || n.startsWith(`${language}-`));
    // en-us first for English: it is the model the en-us package installs.
    names.sort((a, b) => Number(b === `${language}-us`) - Number(a === `${language}-us`) || a.localeCompare(b));
    for (const code of names) {
      const model = await readModelFolder(join(root, code), code, language);
      if (model) return model;
    }
  }
  return null;
}

async function readModelFolder(dir: string, code: string, language: string): Promise<PocketsphinxModel | null> {
  const entries = await listDir(dir);
  let hmm: string | null = null;
  for (const e of entries) {
    if (await isFile(join(dir, e, 'mdef'))) {
      hmm = join(dir, e);
      break;
    }
  }
  // `<code>-phone.lm.bin` is a phoneme model: decoding words with it gives phones.
  const lms = entries.filter((e) => /\.(lm\.bin|lm|lm\.DMP)$/.test(e) && !e.includes('phone'));
  const lm = lms.find((e) => e.startsWith(`${code}.`)) ?? lms[0];
  const dicts = entries.filter((e) => e.endsWith('.dict'));
  const dict = dicts.find((e) => e.includes(code)) ?? dicts[0];
  if (!hmm || !lm || !dict) return null;
  return { code, language, hmm, lm: join(dir, lm), dict: join(dir, dict) };
}

function defaultModelRoots(binary: string): string[] {
  const beside = join(dirname(dirname(binary)), 'share', 'pocketsphinx', 'model');
  return [...new Set([beside, '/usr/share/pocketsphinx/model', '/usr/local/share/pocketsphinx/model'])];
}

async function findOnPath(names: string[], pathVariable: string): Promise<string | null> {
  const dirs = pathVariable.split(delimiter).filter((d) => d !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * Neither CLI prints its version; the package that owns the binary knows it (Debian:
 * `0.8+5prealpha+1-15`). Outside dpkg, the CLI's generation is all that can be said.
 */
async function packageVersion(binary: string, format: PocketsphinxOutputFormat): Promise<string> {
  const fallback = format === 'continuous' ? '5prealpha' : '5';
  try {
    const owner = await run('dpkg-query', ['-S', await realpath(binary)]);
    const pkg = owner.split(':')[0].trim();
    if (!/^[a-z0-9][a-z0-9+.-]*$/.test(pkg)) return fallback;
    const version = (await run('dpkg-query', ['-W', '-f=${Version}', pkg])).trim();
    return version || fallback;
  } catch {
    return fallback;
  }
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 5000, encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
