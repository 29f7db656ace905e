import { type ClipEmbedder, loadClip, ModelRegistry, OnnxClipEmbedder, type RegisteredModel } from '@heimdex/ml';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CLIP_MEAN, CLIP_STD, TEST_CLIP_DIMS, type TestClipModel, writeTestClipModel, writeTestTextModel } from '../helpers/onnx-models';
import { testConfig } from '../helpers/test-config';

function modelDir(): string {
  return mkdtempSync(join(tmpdir(), 'heimdex-models-'));
}

function normalised(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
  return v.map((x) => x / norm);
}

function expectClose(actual: Float32Array, expected: number[], tolerance = 1e-5): void {
  expect(actual).toHaveLength(expected.length);
  expect(Math.max(...expected.map((e, i) => Math.abs(actual[i] - e)))).toBeLessThan(tolerance);
}

/** The test vision graph on a solid colour: the normalised channel values times the [3, 512] projection. */
function expectedImageVector(model: TestClipModel, rgb: [number, number, number]): number[] {
  const x = rgb.map((v, c) => (v / 255 - CLIP_MEAN[c]) / CLIP_STD[c]);
  return normalised(Array.from({ length: TEST_CLIP_DIMS }, (_, d) => x.reduce((acc, xc, c) => acc + xc * model.projection[c * TEST_CLIP_DIMS + d], 0)));
}

/** The test text graph: the sum of the unmasked tokens' rows. */
function expectedTextVector(model: TestClipModel, tokens: string[]): number[] {
  const sum = new Array<number>(TEST_CLIP_DIMS).fill(0);
  for (const token of tokens) {
    const id = model.vocab.get(token);
    if (id === undefined) throw new Error(`${token} is not in the test vocabulary`);
    model.textEmbedding(id).forEach((v, d) => (sum[d] += v));
  }
  return normalised(sum);
}

function solid(width: number, height: number, [r, g, b]: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

describe('OnnxClipEmbedder on a written CLIP-shaped model', () => {
  const dir = modelDir();
  const model = writeTestClipModel(dir);
  let clip: OnnxClipEmbedder;

  beforeAll(async () => {
    const found = (await ModelRegistry.load(dir)).find('clip', null);
    if ('reason' in found) throw new Error(found.reason);
    clip = await OnnxClipEmbedder.create(found as RegisteredModel<'clip'>, { threads: 1 });
  });
  afterAll(() => clip.close());

  it('embeds a solid-colour PNG as the hand-computed normalised projection', async () => {
    const [vector] = await clip.embedImages([await solid(300, 200, [200, 30, 120])]);
    expectClose(vector, expectedImageVector(model, [200, 30, 120]));
    expect(clip.dims).toBe(512);
    expect(clip.model).toEqual({ name: 'test-clip', version: '1' });
  });

  it('keeps images apart and in order over several runs, WebP included', async () => {
    const colours: [number, number, number][] = Array.from({ length: 20 }, (_, i) => [i * 12, 255 - i * 12, 128]);
    const webp = ([r, g, b]: [number, number, number]): Promise<Buffer> =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } })
        .webp({ lossless: true })
        .toBuffer();
    const images = await Promise.all(colours.map((c, i) => (i % 2 ? webp(c) : solid(64, 96, c))));
    const vectors = await clip.embedImages(images);
    expect(vectors).toHaveLength(20);
    vectors.forEach((v, i) => expectClose(v, expectedImageVector(model, colours[i])));
  });

  it('embeds text as the sum of its masked token rows, padding to maxLength not counted', async () => {
    const [vector] = await clip.embedTexts(['A photo of a cat']);
    expectClose(vector, expectedTextVector(model, ['<|startoftext|>', 'a</w>', 'photo</w>', 'of</w>', 'a</w>', 'cat</w>', '<|endoftext|>']));
    const [short, long] = await clip.embedTexts(['dog', 'a red car']);
    expectClose(short, expectedTextVector(model, ['<|startoftext|>', 'dog</w>', '<|endoftext|>']));
    expectClose(long, expectedTextVector(model, ['<|startoftext|>', 'a</w>', 'red</w>', 'car</w>', '<|endoftext|>']));
  });

  it('truncates long text to maxLength keeping <|endoftext|>', async () => {
    const ids = clip.tokenIds(new Array(30).fill('cat').join(' '));
    expect(ids).toHaveLength(12);
    expect(ids[0]).toBe(model.vocab.get('<|startoftext|>'));
    expect(ids[11]).toBe(model.vocab.get('<|endoftext|>'));
    const [vector] = await clip.embedTexts([new Array(30).fill('cat').join(' ')]);
    expectClose(vector, expectedTextVector(model, ['<|startoftext|>', ...new Array<string>(10).fill('cat</w>'), '<|endoftext|>']));
  });

  it('says which image could not be decoded', async () => {
    await expect(clip.embedImages([await solid(10, 10, [1, 2, 3]), Buffer.from('nope')])).rejects.toThrow(/^image 1: /);
  });
});

describe('loadClip', () => {
  async function load(dir: string, env: Record<string, string> = {}): ReturnType<typeof loadClip> {
    const config = testConfig({ MODEL_DIR: dir, ...env });
    return loadClip(config, await ModelRegistry.load(config.modelDir));
  }

  it('loads the CLIP model of MODEL_DIR', async () => {
    const dir = modelDir();
    writeTestClipModel(dir);
    const a = await load(dir);
    expect(a.available && a.engine.model).toEqual({ name: 'test-clip', version: '1' });
    if (a.available) await (a.engine as ClipEmbedder & { close(): Promise<void> }).close();
  });

  it('is unavailable when the manifest dims do not match the towers', async () => {
    const dir = modelDir();
    const model = writeTestClipModel(dir, { manifestDims: 768 });
    expect(await load(dir)).toEqual({
      available: false,
      reason: `test-clip: ${join(model.dir, 'vision_model.onnx')}: output image_embeds has 512 dimensions but the manifest says dims 768`,
    });
  });

  it('is unavailable when CLIP_MODEL names a model of another task', async () => {
    const dir = modelDir();
    writeTestClipModel(dir);
    writeTestTextModel(dir, { name: 'minilm' });
    expect(await load(dir, { CLIP_MODEL: 'minilm' })).toEqual({ available: false, reason: 'CLIP_MODEL=minilm is a text-embedding model, not clip' });
  });
});
