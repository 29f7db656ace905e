import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OnnxClipEmbedder } from '../clip/onnx-clip-embedder';
import { createOnnxSession } from '../onnx/onnx-session';
import { verifyModelFiles } from '../registry/model-files';
import { type ModelManifest, modelManifestSchema } from '../registry/model-manifest';
import type { ModelRegistry, RegisteredModel } from '../registry/model-registry';
import { OnnxTextEmbedder } from '../text/onnx-text-embedder';
import { type DownloadProgress, type DownloadTimeouts, downloadFile, DownloadInterruptedError, HostUnreachableError, probeHost } from './hub-download';
import type { RecommendedModel } from './recommended-models';

export interface PullOptions {
  /** e.g. https://huggingface.co; files come from `<hubUrl>/<repo>/resolve/<revision>/<path>`. */
  hubUrl: string;
  timeouts: DownloadTimeouts;
  threads: number;
  /** Download again even when the model is there and verifies. */
  force: boolean;
  log: (line: string) => void;
  /** Download progress of one file (bytes, rate, total when known); called about twice a second. */
  progress?: (file: string, p: DownloadProgress) => void;
}

/** "12.5/90.1 MB  8.2 MB/s  ETA 10 s" for a progress line. */
export function describeProgress(p: DownloadProgress): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const rate = `${mb(p.bytesPerSecond)} MB/s`;
  const eta = p.total && p.bytesPerSecond > 0 ? `  ETA ${Math.ceil((p.total - p.bytes) / p.bytesPerSecond)} s` : '';
  const resumed = p.resumedFrom ? `  (resumed at ${mb(p.resumedFrom)} MB)` : '';
  return `${mb(p.bytes)}${p.total ? `/${mb(p.total)}` : ''} MB  ${rate}${eta}${resumed}`;
}

export interface PullResult {
  name: string;
  status: 'pulled' | 'present' | 'failed';
  detail: string;
}

/**
 * Downloads models into `<modelDir>/<name>/` and writes their manifest.json with the sha256 of
 * what arrived. Each model lands in a hidden temp folder first and is renamed into place only
 * once it downloaded and loads, so a failed pull never leaves a half model behind. A download
 * that breaks off keeps its temp folder (`.pull-<name>`): the next pull resumes each file where
 * it stopped; any other failure removes it.
 * Throws HostUnreachableError when the hub cannot be reached at all.
 */
export async function pullModels(registry: ModelRegistry, models: RecommendedModel[], options: PullOptions): Promise<PullResult[]> {
  await probeHost(options.hubUrl, options.timeouts.answerMs);
  await mkdir(registry.modelDir, { recursive: true });
  const results: PullResult[] = [];
  for (const model of models) {
    const present = registry.get(model.name);
    if (present && !options.force && (await verifyModelFiles(present.manifest, present.dir)).ok) {
      results.push({ name: model.name, status: 'present', detail: `already in ${present.dir} and verified (--force to download again)` });
      continue;
    }
    options.log(`${model.name}: downloading from ${model.repo}`);
    results.push(await pullOne(registry.modelDir, model, options));
  }
  return results;
}

async function pullOne(modelDir: string, model: RecommendedModel, options: PullOptions): Promise<PullResult> {
  const temp = join(modelDir, `.pull-${model.name}`);
  const target = join(modelDir, model.name);
  try {
    const files: ModelManifest['files'] = [];
    let commit: string | null = null;
    for (const file of model.files) {
      const url = `${options.hubUrl.replace(/\/+$/, '')}/${model.repo}/resolve/${encodeURIComponent(model.revision)}/${file.remote}`;
      if (options.force && !files.length) await rm(temp, { recursive: true, force: true });
      const got = await downloadFile(url, join(temp, file.path), options.timeouts, (p) => options.progress?.(file.path, p));
      commit ??= got.commit;
      files.push({ path: file.path, sha256: got.sha256 });
      options.log(`  ${file.path}  ${(got.bytes / 1e6).toFixed(1)} MB`);
    }
    const manifest = modelManifestSchema.parse({
      name: model.name,
      // The Hub's commit names the weights exactly; without it, the main file's hash does.
      version: commit ? commit.slice(0, 12) : `sha256-${files[0].sha256.slice(0, 12)}`,
      description: `${model.description}; pulled from ${model.repo}`,
      dims: model.dims,
      files,
      spec: await fitInputsToGraph(model.spec, temp, options.threads),
    });
    await writeFile(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await checkLoads(manifest, temp, options.threads);
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    return { name: model.name, status: 'pulled', detail: `${target} (version ${manifest.version})` };
  } catch (err) {
    const resumable = err instanceof HostUnreachableError || err instanceof DownloadInterruptedError;
    if (!resumable) await rm(temp, { recursive: true, force: true });
    if (err instanceof HostUnreachableError) throw err;
    return { name: model.name, status: 'failed', detail: err instanceof Error ? err.message : String(err) };
  }
}

/** Exports differ in whether they take an attention mask or token type ids: keep those the graph has. */
async function fitInputsToGraph(spec: ModelManifest['spec'], dir: string, threads: number): Promise<ModelManifest['spec']> {
  if (spec.task === 'asr-whisper') return spec;
  const path = join(dir, spec.task === 'clip' ? spec.text.model : spec.model);
  const session = await createOnnxSession(path, { threads });
  const has = (name: string | undefined): string | undefined => (name && session.inputNames.includes(name) ? name : undefined);
  try {
    if (spec.task === 'clip') return { ...spec, text: { ...spec.text, inputs: { ids: spec.text.inputs.ids, mask: has(spec.text.inputs.mask) } } };
    return { ...spec, inputs: { ids: spec.inputs.ids, mask: has(spec.inputs.mask), typeIds: has(spec.inputs.typeIds) } };
  } finally {
    await session.release();
  }
}

/** The runners load what was pulled and check its width; Whisper is left to its engine. */
async function checkLoads(manifest: ModelManifest, dir: string, threads: number): Promise<void> {
  const registered = { manifest, dir };
  if (manifest.spec.task === 'text-embedding') {
    const embedder = await OnnxTextEmbedder.create(registered as RegisteredModel<'text-embedding'>, { threads });
    await embedder.embed(['hello'], 'query');
    await embedder.close();
  } else if (manifest.spec.task === 'clip') {
    const clip = await OnnxClipEmbedder.create(registered as RegisteredModel<'clip'>, { threads });
    await clip.close();
  }
}
