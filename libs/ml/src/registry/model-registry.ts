import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelCheck, verifyModelFiles } from './model-files';
import { type ModelManifest, modelManifestSchema, type ModelTask } from './model-manifest';
import { describeManifestErrors, unsafeOrUnlistedPaths } from './manifest-problems';

/** A model whose manifest parsed: `dir` is the folder holding manifest.json and the files it lists. */
export interface RegisteredModel<T extends ModelTask = ModelTask> {
  manifest: ModelManifest & { spec: Extract<ModelManifest['spec'], { task: T }> };
  dir: string;
}

/** A folder of MODEL_DIR that could not be registered, with why. */
export interface ManifestProblem {
  /** The folder's name in MODEL_DIR (the manifest's name is unknown when it does not parse). */
  folder: string;
  dir: string;
  reason: string;
}

/** The setting that picks a model of each task when MODEL_DIR holds several. */
export const MODEL_PREFERENCE_VARIABLE: Record<ModelTask, string> = {
  'text-embedding': 'TEXT_EMBEDDING_MODEL',
  clip: 'CLIP_MODEL',
  'asr-whisper': 'WHISPER_MODEL',
};

/**
 * The models in MODEL_DIR: one folder per model, each with a manifest.json. Loading never throws
 * for what it finds on disk; folders it cannot use are kept as problems so `npm run models -- list`
 * and the pipeline's skip reasons can say why.
 */
export class ModelRegistry {
  private constructor(
    readonly modelDir: string,
    private readonly models: RegisteredModel[],
    readonly problems: ManifestProblem[],
  ) {}

  static async load(modelDir: string): Promise<ModelRegistry> {
    const models: RegisteredModel[] = [];
    const problems: ManifestProblem[] = [];
    let folders: string[];
    try {
      folders = (await readdir(modelDir)).filter((f) => !f.startsWith('.')).sort();
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return new ModelRegistry(modelDir, [], []);
      return new ModelRegistry(modelDir, [], [{ folder: '.', dir: modelDir, reason: `cannot read MODEL_DIR: ${errorMessage(err)}` }]);
    }
    for (const folder of folders) {
      const dir = join(modelDir, folder);
      if (!(await isDirectory(dir))) continue;
      const loaded = await readManifest(dir);
      if ('reason' in loaded) {
        problems.push({ folder, dir, reason: loaded.reason });
        continue;
      }
      const twin = models.find((m) => m.manifest.name === loaded.manifest.name);
      if (twin) problems.push({ folder, dir, reason: `the name ${loaded.manifest.name} is already used by ${twin.dir}` });
      else models.push({ manifest: loaded.manifest, dir });
    }
    models.sort((a, b) => (a.manifest.name < b.manifest.name ? -1 : a.manifest.name > b.manifest.name ? 1 : 0));
    return new ModelRegistry(modelDir, models, problems);
  }

  /** Every usable model, by name. */
  list(): RegisteredModel[] {
    return [...this.models];
  }

  get(name: string): RegisteredModel | null {
    return this.models.find((m) => m.manifest.name === name) ?? null;
  }

  /** sha256 of every listed file of one model (or all of them); never throws for missing files. */
  async verify(name?: string): Promise<ModelCheck[]> {
    const models = name === undefined ? this.models : this.models.filter((m) => m.manifest.name === name);
    if (name !== undefined && models.length === 0) throw new Error(`no model named ${name} in ${this.modelDir}`);
    const checks: ModelCheck[] = [];
    for (const m of models) checks.push(await verifyModelFiles(m.manifest, m.dir));
    return checks;
  }

  /**
   * The model to use for a task: the one named by its setting (e.g. TEXT_EMBEDDING_MODEL) when
   * set, else the first by name. The reason, when there is none, is shown to users as why a
   * pipeline stage was skipped.
   */
  find<T extends ModelTask>(task: T, preferredName: string | null): RegisteredModel<T> | { reason: string } {
    const ofTask = this.models.map((m) => asTask(m, task)).filter((m): m is RegisteredModel<T> => m !== null);
    if (preferredName) {
      const setting = `${MODEL_PREFERENCE_VARIABLE[task]}=${preferredName}`;
      const named = this.models.find((m) => m.manifest.name === preferredName);
      const usable = named && asTask(named, task);
      if (usable) return usable;
      if (named) return { reason: `${setting} is a ${named.manifest.spec.task} model, not ${task}` };
      const broken = this.problems.find((p) => p.folder === preferredName);
      if (broken) return { reason: `${setting} cannot be used: ${broken.reason}` };
      const others = ofTask.map((m) => m.manifest.name);
      return { reason: `${setting} is not in ${this.modelDir}${others.length ? ` (${task} models there: ${others.join(', ')})` : ''}` };
    }
    if (ofTask.length > 0) return ofTask[0];
    const broken = this.problems.length ? `; unusable folders: ${this.problems.map((p) => `${p.folder} (${p.reason})`).join(', ')}` : '';
    return { reason: `no ${task} model in ${this.modelDir} (npm run models -- pull, or put one there)${broken}` };
  }
}

function asTask<T extends ModelTask>(model: RegisteredModel, task: T): RegisteredModel<T> | null {
  return model.manifest.spec.task === task ? (model as unknown as RegisteredModel<T>) : null;
}

async function readManifest(dir: string): Promise<{ manifest: ModelManifest } | { reason: string }> {
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { reason: 'no manifest.json (see libs/ml/README.md for its format)' };
    return { reason: `cannot read manifest.json: ${errorMessage(err)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { reason: `manifest.json is not valid JSON: ${errorMessage(err)}` };
  }
  const parsed = modelManifestSchema.safeParse(json);
  if (!parsed.success) return { reason: `invalid manifest.json: ${describeManifestErrors(parsed.error)}` };
  const pathProblem = unsafeOrUnlistedPaths(parsed.data);
  if (pathProblem) return { reason: `invalid manifest.json: ${pathProblem}` };
  return { manifest: parsed.data };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
