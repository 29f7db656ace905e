import type { AppConfig } from '@heimdex/config';
import { join } from 'node:path';
import type { AsrEngine, Availability } from '../engine-types';
import type { RegisteredModel } from '../registry/model-registry';
import { PocketsphinxEngine } from './pocketsphinx-engine';
import { findPocketsphinx, POCKETSPHINX_INSTALL_HINT, type PocketsphinxInstall, type PocketsphinxSearch } from './pocketsphinx-install';
import { createTransformersWhisperRunner, type TransformersWhisperOptions } from './transformers-whisper-runner';
import { WhisperEngine, type WhisperRunner } from './whisper-engine';

/** What the model registry found for `asr-whisper` (findVerifiedModel's answer). */
export type WhisperLookup = RegisteredModel<'asr-whisper'> | { reason: string };

/** How each engine is found and started; replaced in tests. */
export interface AsrEngineSources {
  findPocketsphinx(search: PocketsphinxSearch): Promise<PocketsphinxInstall | { reason: string }>;
  createWhisperRunner(options: TransformersWhisperOptions): Promise<WhisperRunner>;
}

const defaultSources: AsrEngineSources = { findPocketsphinx, createWhisperRunner: createTransformersWhisperRunner };

/**
 * The speech engine ASR_ENGINE asks for. `auto`: the Whisper model in MODEL_DIR when there is one,
 * else pocketsphinx when it and its English model are installed. A Whisper model that is there but
 * fails to load makes ASR unavailable rather than quietly falling back to the weaker engine.
 */
export async function loadAsr(config: AppConfig, whisperLookup: WhisperLookup, sources: AsrEngineSources = defaultSources): Promise<Availability<AsrEngine>> {
  const language = config.ml.asrLanguage;
  switch (config.ml.asrEngine) {
    case 'none':
      return { available: false, reason: 'ASR disabled (ASR_ENGINE=none)' };
    case 'whisper': {
      if ('reason' in whisperLookup) return { available: false, reason: `ASR_ENGINE=whisper: ${whisperLookup.reason}` };
      return loadWhisper(whisperLookup, language, config.ml.ortThreads, sources);
    }
    case 'pocketsphinx': {
      const loaded = await loadPocketsphinx(config, sources);
      return loaded.available ? loaded : { available: false, reason: `ASR_ENGINE=pocketsphinx: ${loaded.reason}` };
    }
    case 'auto': {
      if (!('reason' in whisperLookup)) return loadWhisper(whisperLookup, language, config.ml.ortThreads, sources);
      const loaded = await loadPocketsphinx(config, sources);
      if (loaded.available) return loaded;
      return {
        available: false,
        reason:
          `no speech model: put a Whisper model in ${config.modelDir}, or ${POCKETSPHINX_INSTALL_HINT} ` +
          `(whisper: ${whisperLookup.reason}; pocketsphinx: ${loaded.reason})`,
      };
    }
  }
}

async function loadWhisper(
  found: RegisteredModel<'asr-whisper'>,
  language: string | null,
  threads: number,
  sources: AsrEngineSources,
): Promise<Availability<AsrEngine>> {
  const { manifest, dir } = found;
  if (!manifest.spec.multilingual && language !== null && language !== 'en') {
    return { available: false, reason: `${manifest.name} is an English-only Whisper model; ASR_LANGUAGE=${language} needs a multilingual one` };
  }
  try {
    const runner = await sources.createWhisperRunner({
      folder: join(dir, manifest.spec.folder),
      dtype: manifest.spec.dtype,
      multilingual: manifest.spec.multilingual,
      threads,
    });
    return { available: true, engine: new WhisperEngine({ name: manifest.name, version: manifest.version }, runner) };
  } catch (err) {
    return { available: false, reason: `${manifest.name} failed to load: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function loadPocketsphinx(config: AppConfig, sources: AsrEngineSources): Promise<Availability<AsrEngine>> {
  const found = await sources.findPocketsphinx({ binaryPath: config.ml.pocketsphinxPath, language: config.ml.asrLanguage });
  if ('reason' in found) return { available: false, reason: found.reason };
  return { available: true, engine: new PocketsphinxEngine(found, { processes: config.ml.pocketsphinxProcesses }) };
}
