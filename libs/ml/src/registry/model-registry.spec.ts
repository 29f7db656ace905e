import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry } from './model-registry';

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function textSpec(model = 'model.onnx', tokenizer = 'tokenizer.json'): Record<string, unknown> {
  return { task: 'text-embedding', model, tokenizer, inputs: { ids: 'input_ids' }, output: 'last_hidden_state', pooling: 'mean', maxLength: 128 };
}

const clipSpec = {
  task: 'clip',
  image: { model: 'vision.onnx', input: 'pixel_values', output: 'image_embeds' },
  text: { model: 'text.onnx', tokenizer: 'tokenizer.json', inputs: { ids: 'input_ids' }, output: 'text_embeds', maxLength: 77 },
  preprocessing: { size: 224, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
};

/** A model folder whose listed files hold their own names, with a correct manifest unless overridden. */
function writeModel(root: string, folder: string, spec: Record<string, unknown>, files: string[], overrides: Record<string, unknown> = {}): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f), `contents of ${f}`);
  const manifest = {
    name: folder,
    version: '2024-01',
    dims: 384,
    files: files.map((path) => ({ path, sha256: sha(`contents of ${path}`) })),
    spec,
    ...overrides,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'heimdex-registry-'));
}

describe('ModelRegistry', () => {
  it('treats a missing MODEL_DIR as empty, and says what to do', async () => {
    const dir = join(tempDir(), 'models');
    const registry = await ModelRegistry.load(dir);
    expect(registry.list()).toEqual([]);
    expect(registry.problems).toEqual([]);
    expect(registry.find('text-embedding', null)).toEqual({ reason: `no text-embedding model in ${dir} (npm run models -- pull, or put one there)` });
    expect(await registry.verify()).toEqual([]);
  });

  it('lists valid models and keeps unusable folders as problems with a reason', async () => {
    const root = tempDir();
    writeModel(root, 'good', textSpec(), ['model.onnx', 'tokenizer.json']);
    mkdirSync(join(root, 'no-manifest'));
    mkdirSync(join(root, 'not-json'));
    writeFileSync(join(root, 'not-json', 'manifest.json'), '{ nope');
    writeModel(root, 'bad-pooling', { ...textSpec(), pooling: 'max' }, ['model.onnx', 'tokenizer.json']);
    writeModel(root, 'unlisted', textSpec(), ['model.onnx']);
    writeModel(root, 'escapes', textSpec('../good/model.onnx'), ['tokenizer.json']);
    writeModel(root, 'twin', textSpec(), ['model.onnx', 'tokenizer.json'], { name: 'good' });
    mkdirSync(join(root, '.pull-tmp'));
    writeFileSync(join(root, 'README.txt'), 'not a model');

    const registry = await ModelRegistry.load(root);
    expect(registry.list().map((m) => [m.manifest.name, m.dir])).toEqual([['good', join(root, 'good')]]);
    const reasons = Object.fromEntries(registry.problems.map((p) => [p.folder, p.reason]));
    expect(reasons).toEqual({
      'bad-pooling': expect.stringMatching(/^invalid manifest\.json: spec\.pooling: Invalid enum value\. Expected 'mean' \| 'cls' \| 'none', received 'max'$/),
      escapes: 'invalid manifest.json: spec: "../good/model.onnx" must be a relative path inside the model\'s folder',
      'no-manifest': 'no manifest.json (see libs/ml/README.md for its format)',
      'not-json': expect.stringMatching(/^manifest\.json is not valid JSON: /),
      twin: `the name good is already used by ${join(root, 'good')}`,
      unlisted: 'invalid manifest.json: spec names tokenizer.json, which is not in files (every file needs its sha256)',
    });
  });

  it('rejects listed files outside the folder', async () => {
    const root = tempDir();
    writeModel(root, 'abs', textSpec(), ['model.onnx', 'tokenizer.json'], {
      files: [
        { path: '/etc/passwd', sha256: sha('x') },
        { path: 'model.onnx', sha256: sha('x') },
        { path: 'tokenizer.json', sha256: sha('x') },
      ],
    });
    const [problem] = (await ModelRegistry.load(root)).problems;
    expect(problem.reason).toBe('invalid manifest.json: files: "/etc/passwd" must be a relative path inside the model\'s folder');
  });

  describe('verify', () => {
    it('reports ok, missing and mismatched files per model', async () => {
      const root = tempDir();
      writeModel(root, 'intact', textSpec(), ['model.onnx', 'tokenizer.json']);
      const damaged = writeModel(root, 'damaged', clipSpec, ['vision.onnx', 'text.onnx', 'tokenizer.json'], { dims: 512 });
      const bytes = readFileSync(join(damaged, 'vision.onnx'));
      bytes[3] ^= 0x01;
      writeFileSync(join(damaged, 'vision.onnx'), bytes);
      rmSync(join(damaged, 'text.onnx'));

      const registry = await ModelRegistry.load(root);
      const checks = await registry.verify();
      expect(checks.map((c) => [c.name, c.ok])).toEqual([
        ['damaged', false],
        ['intact', true],
      ]);
      const damagedCheck = checks[0];
      expect(damagedCheck.files.map((f) => [f.path, f.status])).toEqual([
        ['vision.onnx', 'mismatch'],
        ['text.onnx', 'missing'],
        ['tokenizer.json', 'ok'],
      ]);
      expect(damagedCheck.files[0].actual).toBe(sha(bytes));
      expect(damagedCheck.problem).toBe('vision.onnx does not match its sha256 (corrupt or replaced); text.onnx is missing');
      expect(checks[1].problem).toBeNull();

      expect((await registry.verify('intact')).map((c) => c.name)).toEqual(['intact']);
      await expect(registry.verify('absent')).rejects.toThrow(`no model named absent in ${root}`);
    });
  });

  describe('find', () => {
    async function registryWithModels(): Promise<{ root: string; registry: ModelRegistry }> {
      const root = tempDir();
      writeModel(root, 'minilm', textSpec(), ['model.onnx', 'tokenizer.json']);
      writeModel(root, 'e5-small', textSpec(), ['model.onnx', 'tokenizer.json']);
      writeModel(root, 'clip-b32', clipSpec, ['vision.onnx', 'text.onnx', 'tokenizer.json'], { dims: 512 });
      writeModel(root, 'broken', { ...textSpec(), maxLength: -1 }, ['model.onnx', 'tokenizer.json']);
      return { root, registry: await ModelRegistry.load(root) };
    }

    const nameOf = (found: object): string | null => ('manifest' in found ? (found as { manifest: { name: string } }).manifest.name : null);

    it('takes the first model of the task by name when none is preferred', async () => {
      const { root, registry } = await registryWithModels();
      expect(nameOf(registry.find('text-embedding', null))).toBe('e5-small');
      const clip = registry.find('clip', null);
      expect(nameOf(clip)).toBe('clip-b32');
      expect('dir' in clip && clip.dir).toBe(join(root, 'clip-b32'));
      expect(registry.find('asr-whisper', null)).toEqual({
        reason: `no asr-whisper model in ${root} (npm run models -- pull, or put one there); unusable folders: broken (invalid manifest.json: spec.maxLength: Number must be greater than 0)`,
      });
    });

    it('takes the preferred model, or says why it cannot', async () => {
      const { root, registry } = await registryWithModels();
      expect(nameOf(registry.find('text-embedding', 'minilm'))).toBe('minilm');
      expect(registry.find('text-embedding', 'mpnet')).toEqual({
        reason: `TEXT_EMBEDDING_MODEL=mpnet is not in ${root} (text-embedding models there: e5-small, minilm)`,
      });
      expect(registry.find('clip', 'minilm')).toEqual({ reason: 'CLIP_MODEL=minilm is a text-embedding model, not clip' });
      expect(registry.find('text-embedding', 'broken')).toEqual({
        reason: 'TEXT_EMBEDDING_MODEL=broken cannot be used: invalid manifest.json: spec.maxLength: Number must be greater than 0',
      });
      expect(registry.find('asr-whisper', 'whisper-base')).toEqual({ reason: `WHISPER_MODEL=whisper-base is not in ${root}` });
    });
  });
});
