import { type AppConfig, loadConfig } from '@heimdex/config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisteredModel } from '../registry/model-registry';
import { type AsrEngineSources, loadAsr } from './load-asr';
import { PocketsphinxEngine } from './pocketsphinx-engine';
import type { PocketsphinxInstall, PocketsphinxSearch } from './pocketsphinx-install';
import type { TransformersWhisperOptions } from './transformers-whisper-runner';
import { WhisperEngine, type WhisperRunner } from './whisper-engine';

function config(env: Record<string, string> = {}): AppConfig {
  const root = mkdtempSync(join(tmpdir(), 'heimdex-asr-config-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  return loadConfig({ rootDir: root, env: { NODE_ENV: 'test', ORT_THREADS: '3', ...env } });
}

function whisperModel(multilingual: boolean): RegisteredModel<'asr-whisper'> {
  return {
    manifest: {
      name: multilingual ? 'whisper-base' : 'whisper-base-en',
      version: '2024-01',
      dims: 0,
      files: [{ path: 'onnx/encoder_model_quantized.onnx', sha256: 'a'.repeat(64) }],
      spec: { task: 'asr-whisper', folder: 'onnx-model', dtype: 'q8', multilingual },
    },
    dir: '/models/whisper',
  };
}

const noWhisper = { reason: 'no asr-whisper model in /models (npm run models -- pull, or put one there)' };
const install: PocketsphinxInstall = {
  binary: '/usr/bin/pocketsphinx_continuous',
  format: 'continuous',
  version: '0.8+5prealpha+1-15',
  model: { code: 'en-us', language: 'en', hmm: '/m/en-us', lm: '/m/en-us.lm.bin', dict: '/m/cmudict-en-us.dict' },
};

/** Records which engines were looked for; each is there or not as the test says. */
function sources(options: {
  pocketsphinx: boolean;
  whisperFails?: string;
}): AsrEngineSources & { searches: PocketsphinxSearch[]; runners: TransformersWhisperOptions[] } {
  const searches: PocketsphinxSearch[] = [];
  const runners: TransformersWhisperOptions[] = [];
  return {
    searches,
    runners,
    async findPocketsphinx(search) {
      searches.push(search);
      return options.pocketsphinx ? install : { reason: 'pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)' };
    },
    async createWhisperRunner(runnerOptions): Promise<WhisperRunner> {
      runners.push(runnerOptions);
      if (options.whisperFails) throw new Error(options.whisperFails);
      return {
        multilingual: runnerOptions.multilingual,
        transcribe: async () => ({ text: '', chunks: [] }),
        detectLanguage: async () => null,
        dispose: async () => undefined,
      };
    },
  };
}

describe('loadAsr', () => {
  it('is off with ASR_ENGINE=none, looking for nothing', async () => {
    const s = sources({ pocketsphinx: true });
    expect(await loadAsr(config({ ASR_ENGINE: 'none' }), whisperModel(true), s)).toEqual({ available: false, reason: 'ASR disabled (ASR_ENGINE=none)' });
    expect([s.searches, s.runners]).toEqual([[], []]);
  });

  describe('auto', () => {
    it('takes the Whisper model when MODEL_DIR has one, and does not look for pocketsphinx', async () => {
      const s = sources({ pocketsphinx: true });
      const loaded = await loadAsr(config(), whisperModel(false), s);
      if (!loaded.available) throw new Error(loaded.reason);
      expect(loaded.engine).toBeInstanceOf(WhisperEngine);
      expect(loaded.engine.model).toEqual({ name: 'whisper-base-en', version: '2024-01' });
      expect(s.runners).toEqual([{ folder: join('/models/whisper', 'onnx-model'), dtype: 'q8', multilingual: false, threads: 3 }]);
      expect(s.searches).toEqual([]);
    });

    it('takes pocketsphinx when there is no Whisper model, passing POCKETSPHINX_PATH and ASR_LANGUAGE', async () => {
      const s = sources({ pocketsphinx: true });
      const loaded = await loadAsr(config({ POCKETSPHINX_PATH: '/opt/ps/bin/pocketsphinx_continuous', ASR_LANGUAGE: 'en' }), noWhisper, s);
      if (!loaded.available) throw new Error(loaded.reason);
      expect(loaded.engine).toBeInstanceOf(PocketsphinxEngine);
      expect(loaded.engine.model).toEqual({ name: 'pocketsphinx-en-us', version: '0.8+5prealpha+1-15' });
      expect(s.searches).toEqual([{ binaryPath: '/opt/ps/bin/pocketsphinx_continuous', language: 'en' }]);
    });

    it('says how to get a speech model when there is neither', async () => {
      const c = config();
      const loaded = await loadAsr(c, noWhisper, sources({ pocketsphinx: false }));
      expect(loaded).toEqual({
        available: false,
        reason:
          `no speech model: put a Whisper model in ${c.modelDir}, or apt-get install pocketsphinx pocketsphinx-en-us ` +
          `(whisper: ${noWhisper.reason}; pocketsphinx: pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us))`,
      });
    });

    it('reports a Whisper model that fails to load instead of falling back to pocketsphinx', async () => {
      const s = sources({ pocketsphinx: true, whisperFails: 'file was not found locally at "/models/whisper/onnx-model/config.json"' });
      expect(await loadAsr(config(), whisperModel(true), s)).toEqual({
        available: false,
        reason: 'whisper-base failed to load: file was not found locally at "/models/whisper/onnx-model/config.json"',
      });
      expect(s.searches).toEqual([]);
    });
  });

  describe('an engine named in ASR_ENGINE', () => {
    it('whisper: used when present, else unavailable with the registry reason even if pocketsphinx is installed', async () => {
      const present = await loadAsr(config({ ASR_ENGINE: 'whisper' }), whisperModel(true), sources({ pocketsphinx: true }));
      expect(present.available && present.engine).toBeInstanceOf(WhisperEngine);
      const s = sources({ pocketsphinx: true });
      expect(await loadAsr(config({ ASR_ENGINE: 'whisper' }), noWhisper, s)).toEqual({ available: false, reason: `ASR_ENGINE=whisper: ${noWhisper.reason}` });
      expect(s.searches).toEqual([]);
    });

    it('pocketsphinx: used even when a Whisper model is there, else unavailable with why', async () => {
      const s = sources({ pocketsphinx: true });
      const present = await loadAsr(config({ ASR_ENGINE: 'pocketsphinx' }), whisperModel(true), s);
      expect(present.available && present.engine).toBeInstanceOf(PocketsphinxEngine);
      expect(s.runners).toEqual([]);
      expect(await loadAsr(config({ ASR_ENGINE: 'pocketsphinx' }), whisperModel(true), sources({ pocketsphinx: false }))).toEqual({
        available: false,
        reason: 'ASR_ENGINE=pocketsphinx: pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)',
      });
    });

    it('pocketsphinx with the real lookup: a POCKETSPHINX_PATH that is not there', async () => {
      expect(await loadAsr(config({ ASR_ENGINE: 'pocketsphinx', POCKETSPHINX_PATH: '/nonexistent/pocketsphinx_continuous' }), noWhisper)).toEqual({
        available: false,
        reason: 'ASR_ENGINE=pocketsphinx: POCKETSPHINX_PATH=/nonexistent/pocketsphinx_continuous is not an executable file',
      });
    });
  });

  it('needs a multilingual Whisper model for a language other than English', async () => {
    const s = sources({ pocketsphinx: true });
    expect(await loadAsr(config({ ASR_LANGUAGE: 'fr' }), whisperModel(false), s)).toEqual({
      available: false,
      reason: 'whisper-base-en is an English-only Whisper model; ASR_LANGUAGE=fr needs a multilingual one',
    });
    expect(s.runners).toEqual([]);
    const multilingual = await loadAsr(config({ ASR_LANGUAGE: 'fr' }), whisperModel(true), s);
    expect(multilingual.available).toBe(true);
  });
});
