import { loadTextEmbedder, ModelRegistry, OnnxTextEmbedder, type RegisteredModel, type TextEmbedder } from '@heimdex/ml';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_TEXT_DIMS, type TestTextModel, writeManifest, writeTestTextModel } from '../helpers/onnx-models';
import { testConfig } from '../helpers/test-config';

function modelDir(): string {
  return mkdtempSync(join(tmpdir(), 'heimdex-models-'));
}

/** What the test graph computes, pooled and normalised in float64. */
function expectedVector(model: TestTextModel, tokens: string[], pooling: 'mean' | 'cls'): number[] {
  const used = pooling === 'cls' ? tokens.slice(0, 1) : tokens;
  const sum = new Array<number>(TEST_TEXT_DIMS).fill(0);
  for (const token of used) {
    const id = model.vocab.get(token);
    if (id === undefined) throw new Error(`${token} is not in the test vocabulary`);
    const row = model.embedding(id);
    const type = model.typeEmbedding(0);
    for (let d = 0; d < TEST_TEXT_DIMS; d++) sum[d] += row[d] + type[d] + model.maskRow[d];
  }
  const norm = Math.sqrt(sum.reduce((acc, v) => acc + v * v, 0));
  return sum.map((v) => v / norm);
}

function expectClose(actual: Float32Array, expected: number[], tolerance = 1e-5): void {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...expected.map((e, i) => Math.abs(actual[i] - e)));
  expect(worst).toBeLessThan(tolerance);
}

async function embedderFor(model: TestTextModel, dir: string): Promise<OnnxTextEmbedder> {
  const registry = await ModelRegistry.load(dir);
  const found = registry.find('text-embedding', null);
  if ('reason' in found) throw new Error(found.reason);
  return OnnxTextEmbedder.create(found as RegisteredModel<'text-embedding'>, { threads: 1 });
}

describe('OnnxTextEmbedder on a written MiniLM-shaped model', () => {
  const dir = modelDir();
  const model = writeTestTextModel(dir);
  let embedder: OnnxTextEmbedder;

  beforeAll(async () => {
    embedder = await embedderFor(model, dir);
  });
  afterAll(() => embedder.close());

  it('mean-pools over the attention mask and L2-normalises, with the passage prefix and token_type_ids zeros', async () => {
    const [vector] = await embedder.embed(['Hello world'], 'passage');
    expectClose(vector, expectedVector(model, ['[CLS]', 'passage', ':', 'hello', 'world', '[SEP]'], 'mean'));
    expect(embedder.dims).toBe(384);
    expect(embedder.model).toEqual({ name: 'test-minilm', version: '1' });
  });

  it('puts the query prefix on queries, which changes the tokens and the vector', async () => {
    const id = (t: string): number => model.vocab.get(t) as number;
    expect(embedder.tokenIds('hello world', 'query')).toEqual(['[CLS]', 'query', ':', 'hello', 'world', '[SEP]'].map(id));
    expect(embedder.tokenIds('hello world', 'passage')).toEqual(['[CLS]', 'passage', ':', 'hello', 'world', '[SEP]'].map(id));
    const [query] = await embedder.embed(['hello world'], 'query');
    const [passage] = await embedder.embed(['hello world'], 'passage');
    expectClose(query, expectedVector(model, ['[CLS]', 'query', ':', 'hello', 'world', '[SEP]'], 'mean'));
    expect(Math.max(...query.map((v, i) => Math.abs(v - passage[i])))).toBeGreaterThan(1e-3);
  });

  it('gives a sentence the same vector alone and padded in a batch with a longer one', async () => {
    const [alone] = await embedder.embed(['cat'], 'passage');
    const batch = await embedder.embed(['cat', 'the red cat sat on the blue mat', 'dogs'], 'passage');
    expect(batch).toHaveLength(3);
    expectClose(batch[0], Array.from(alone), 1e-6);
    expectClose(batch[2], expectedVector(model, ['[CLS]', 'passage', ':', 'dog', '##s', '[SEP]'], 'mean'));
  });

  it('truncates to maxLength keeping [SEP], and maps unknown words to [UNK]', async () => {
    const long = Array.from({ length: 40 }, () => 'cat').join(' ');
    const ids = embedder.tokenIds(long, 'passage');
    expect(ids).toHaveLength(16);
    expect(ids[15]).toBe(model.vocab.get('[SEP]'));
    const [vector] = await embedder.embed([long], 'passage');
    expectClose(vector, expectedVector(model, ['[CLS]', 'passage', ':', ...new Array<string>(12).fill('cat'), '[SEP]'], 'mean'));
    expect(embedder.tokenIds('zebra', 'passage')).toContain(model.vocab.get('[UNK]'));
  });

  it('embeds many texts in several runs, in order', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => (i % 2 ? 'red sky' : 'blue sky'));
    const vectors = await embedder.embed(texts, 'passage');
    expect(vectors).toHaveLength(70);
    expectClose(vectors[69], expectedVector(model, ['[CLS]', 'passage', ':', 'red', 'sky', '[SEP]'], 'mean'));
    expectClose(vectors[68], expectedVector(model, ['[CLS]', 'passage', ':', 'blue', 'sky', '[SEP]'], 'mean'));
    expect(await embedder.embed([], 'query')).toEqual([]);
  });
});

describe('OnnxTextEmbedder pooling and prefixes from the manifest', () => {
  it('takes the [CLS] state with pooling cls, and no prefix when the manifest has none', async () => {
    const dir = modelDir();
    const model = writeTestTextModel(dir, { pooling: 'cls', queryPrefix: '', passagePrefix: '' });
    const embedder = await embedderFor(model, dir);
    try {
      expect(embedder.tokenIds('cat', 'query')).toEqual(['[CLS]', 'cat', '[SEP]'].map((t) => model.vocab.get(t)));
      const [vector] = await embedder.embed(['the cat'], 'query');
      expectClose(vector, expectedVector(model, ['[CLS]'], 'cls'));
    } finally {
      await embedder.close();
    }
  });
});

describe('loadTextEmbedder', () => {
  async function load(dir: string, env: Record<string, string> = {}): ReturnType<typeof loadTextEmbedder> {
    const config = testConfig({ MODEL_DIR: dir, ...env });
    return loadTextEmbedder(config, await ModelRegistry.load(config.modelDir));
  }

  async function close(a: Awaited<ReturnType<typeof loadTextEmbedder>>): Promise<void> {
    if (a.available) await (a.engine as TextEmbedder & { close(): Promise<void> }).close();
  }

  it('loads the model of MODEL_DIR, recording its name and version', async () => {
    const dir = modelDir();
    writeTestTextModel(dir);
    const a = await load(dir);
    expect(a.available).toBe(true);
    if (a.available) {
      expect(a.engine.model).toEqual({ name: 'test-minilm', version: '1' });
      const [v] = await a.engine.embed(['hello'], 'query');
      expect(v).toHaveLength(384);
    }
    await close(a);
  });

  it('picks the model TEXT_EMBEDDING_MODEL names', async () => {
    const dir = modelDir();
    writeTestTextModel(dir, { name: 'first' });
    writeTestTextModel(dir, { name: 'second' });
    const a = await load(dir, { TEXT_EMBEDDING_MODEL: 'second' });
    expect(a.available && a.engine.model.name).toBe('second');
    await close(a);
    const b = await load(dir, { TEXT_EMBEDDING_MODEL: 'third' });
    expect(b).toEqual({ available: false, reason: `TEXT_EMBEDDING_MODEL=third is not in ${dir} (text-embedding models there: first, second)` });
  });

  it('is unavailable with a reason when MODEL_DIR has no model', async () => {
    const dir = join(modelDir(), 'absent');
    expect(await load(dir)).toEqual({ available: false, reason: `no text-embedding model in ${dir} (npm run models -- pull, or put one there)` });
  });

  it('is unavailable when the manifest dims do not match the model output', async () => {
    const dir = modelDir();
    writeTestTextModel(dir, { manifestDims: 768 });
    const a = await load(dir);
    expect(a.available).toBe(false);
    if (!a.available) expect(a.reason).toMatch(/^test-minilm: .*model\.onnx: output last_hidden_state has 384 dimensions but the manifest says dims 768$/);
  });

  it('finds a dims mismatch by a probe run when the model does not declare its width', async () => {
    const dir = modelDir();
    const model = writeTestTextModel(dir, { manifestDims: 768, declareDims: false });
    expect(await load(dir)).toEqual({
      available: false,
      reason: `test-minilm: ${join(model.dir, 'model.onnx')}: output last_hidden_state has 384 dimensions but the manifest says dims 768`,
    });
    writeTestTextModel(dir, { declareDims: false });
    const a = await load(dir);
    expect(a.available).toBe(true);
    await close(a);
  });

  it('is unavailable when the output rank does not fit the pooling', async () => {
    const dir = modelDir();
    const model = writeTestTextModel(dir, { pooling: 'none' });
    expect(await load(dir)).toEqual({
      available: false,
      reason: `test-minilm: ${join(model.dir, 'model.onnx')}: output last_hidden_state has shape [batch_size, sequence_length, 384]; pooling none needs [batch, dims]`,
    });
  });

  it('is unavailable when a file fails its sha256', async () => {
    const dir = modelDir();
    const model = writeTestTextModel(dir);
    const onnxPath = join(model.dir, 'model.onnx');
    const bytes = readFileSync(onnxPath);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(onnxPath, bytes);
    expect(await load(dir)).toEqual({
      available: false,
      reason: 'test-minilm: model.onnx does not match its sha256 (corrupt or replaced) (npm run models -- verify)',
    });
  });

  it('is unavailable when the ONNX file does not load, naming the file', async () => {
    const dir = modelDir();
    const model = writeTestTextModel(dir);
    writeFileSync(join(model.dir, 'model.onnx'), 'not an onnx graph');
    const { files: _files, ...rest } = model.manifest;
    writeManifest(model.dir, rest, ['model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const a = await load(dir);
    expect(a.available).toBe(false);
    if (!a.available) expect(a.reason).toContain(`test-minilm: cannot load ${join(model.dir, 'model.onnx')}`);
  });

  it('is unavailable when the manifest names an input the model lacks', async () => {
    const dir = modelDir();
    const model = writeTestTextModel(dir);
    const { files: _files, ...rest } = model.manifest;
    if (rest.spec.task !== 'text-embedding') throw new Error('unexpected task');
    writeManifest(model.dir, { ...rest, spec: { ...rest.spec, inputs: { ids: 'ids', mask: 'attention_mask', typeIds: 'token_type_ids' } } }, [
      'model.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const a = await load(dir);
    expect(a).toEqual({
      available: false,
      reason: `test-minilm: ${join(model.dir, 'model.onnx')} has no input ids (its inputs: input_ids, attention_mask, token_type_ids)`,
    });
  });
});
