import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findModel, findPocketsphinx } from './pocketsphinx-install';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'heimdex-pocketsphinx-install-'));
}

/** The layout of Debian's pocketsphinx-en-us under `<root>/<code>`. */
function writeModel(root: string, code: string): void {
  mkdirSync(join(root, code, code), { recursive: true });
  for (const f of ['mdef', 'means', 'variances']) writeFileSync(join(root, code, code, f), '');
  writeFileSync(join(root, code, `${code}.lm.bin`), '');
  writeFileSync(join(root, code, `${code}-phone.lm.bin`), '');
  writeFileSync(join(root, code, `cmudict-${code}.dict`), '');
}

function writeExecutable(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('pocketsphinx model lookup', () => {
  it('finds the en-us acoustic model, word language model and dictionary, not the phone model', async () => {
    const root = tempDir();
    writeModel(root, 'en-us');
    expect(await findModel([join(root, 'missing'), root], 'en')).toEqual({
      code: 'en-us',
      language: 'en',
      hmm: join(root, 'en-us', 'en-us'),
      lm: join(root, 'en-us', 'en-us.lm.bin'),
      dict: join(root, 'en-us', 'cmudict-en-us.dict'),
    });
  });

  it('finds another language only where its model is installed', async () => {
    const root = tempDir();
    writeModel(root, 'en-us');
    expect(await findModel([root], 'fr')).toBeNull();
    writeModel(root, 'fr-fr');
    expect(await findModel([root], 'fr')).toMatchObject({ code: 'fr-fr', language: 'fr', lm: join(root, 'fr-fr', 'fr-fr.lm.bin') });
  });

  it('skips a folder that lacks part of a model', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'en-us', 'en-us'), { recursive: true });
    writeFileSync(join(root, 'en-us', 'en-us.lm.bin'), '');
    expect(await findModel([root], 'en')).toBeNull();
  });
});

describe('findPocketsphinx', () => {
  it('finds pocketsphinx_continuous on PATH and knows it prints the -time format', async () => {
    const bin = tempDir();
    const models = tempDir();
    writeModel(models, 'en-us');
    const binary = writeExecutable(bin, 'pocketsphinx_continuous');
    const found = await findPocketsphinx({ binaryPath: null, language: null, pathVariable: `${tempDir()}:${bin}`, modelRoots: [models] });
    // not installed by dpkg, so only the CLI's generation is known
    expect(found).toMatchObject({ binary, format: 'continuous', version: '5prealpha', model: { code: 'en-us' } });
  });

  it('takes pocketsphinx 5 (`pocketsphinx`) as the JSON format', async () => {
    const bin = tempDir();
    const models = tempDir();
    writeModel(models, 'en-us');
    writeExecutable(bin, 'pocketsphinx');
    expect(await findPocketsphinx({ binaryPath: null, language: 'en', pathVariable: bin, modelRoots: [models] })).toMatchObject({
      format: 'json',
      version: '5',
    });
  });

  it('says how to install it when it is not on PATH', async () => {
    expect(await findPocketsphinx({ binaryPath: null, language: null, pathVariable: tempDir(), modelRoots: [] })).toEqual({
      reason: 'pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)',
    });
  });

  it('rejects a POCKETSPHINX_PATH that cannot be run', async () => {
    const dir = tempDir();
    const notExecutable = join(dir, 'pocketsphinx_continuous');
    writeFileSync(notExecutable, '');
    for (const path of [join(dir, 'missing'), notExecutable, dir]) {
      expect(await findPocketsphinx({ binaryPath: path, language: null })).toEqual({ reason: `POCKETSPHINX_PATH=${path} is not an executable file` });
    }
  });

  it('is unavailable without the model for the language asked for', async () => {
    const bin = tempDir();
    const models = tempDir();
    const binary = writeExecutable(bin, 'pocketsphinx_continuous');
    expect(await findPocketsphinx({ binaryPath: binary, language: null, modelRoots: [models] })).toEqual({
      reason: `pocketsphinx has no English model in ${models} (apt-get install pocketsphinx-en-us)`,
    });
    writeModel(models, 'en-us');
    expect(await findPocketsphinx({ binaryPath: binary, language: 'de', modelRoots: [models] })).toEqual({
      reason: `pocketsphinx has no model for ASR_LANGUAGE=de in ${models}; transcribing de needs a multilingual Whisper model in MODEL_DIR`,
    });
  });
});
