import type { AppConfig } from '@heimdex/config';
import { OnnxClipEmbedder } from './clip/onnx-clip-embedder';
import type { Availability, ClipEmbedder, TextEmbedder } from './engine-types';
import type { ModelTask } from './registry/model-manifest';
import type { ModelRegistry, RegisteredModel } from './registry/model-registry';
import { OnnxTextEmbedder } from './text/onnx-text-embedder';

/**
 * The model to use for a task, with its files checked against their sha256 (once, here at load:
 * a corrupt download fails with a reason instead of giving wrong vectors).
 */
export async function findVerifiedModel<T extends ModelTask>(
  registry: ModelRegistry,
  task: T,
  preferredName: string | null,
): Promise<RegisteredModel<T> | { reason: string }> {
  const found = registry.find(task, preferredName);
  if ('reason' in found) return found;
  const [check] = await registry.verify(found.manifest.name);
  if (!check.ok) return { reason: `${found.manifest.name}: ${check.problem ?? 'files do not verify'} (npm run models -- verify)` };
  return found;
}

export function loadTextEmbedder(config: AppConfig, registry: ModelRegistry): Promise<Availability<TextEmbedder>> {
  return load(registry, 'text-embedding', config.ml.textModel, (m) => OnnxTextEmbedder.create(m, { threads: config.ml.ortThreads }));
}

export function loadClip(config: AppConfig, registry: ModelRegistry): Promise<Availability<ClipEmbedder>> {
  return load(registry, 'clip', config.ml.clipModel, (m) => OnnxClipEmbedder.create(m, { threads: config.ml.ortThreads }));
}

async function load<T extends ModelTask, E>(
  registry: ModelRegistry,
  task: T,
  preferredName: string | null,
  create: (model: RegisteredModel<T>) => Promise<E>,
): Promise<Availability<E>> {
  const found = await findVerifiedModel(registry, task, preferredName);
  if ('reason' in found) return { available: false, reason: found.reason };
  try {
    return { available: true, engine: await create(found) };
  } catch (err) {
    return { available: false, reason: `${found.manifest.name}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
