import { ModelRegistry, type RecommendedModel, runModelsCli, type TextEmbeddingSpec as TextSpec } from '@heimdex/ml';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestClipModel, writeTestTextModel } from '../helpers/onnx-models';
import { testConfig } from '../helpers/test-config';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'heimdex-models-'));
}

async function cli(args: string[], modelDir: string, options: Parameters<typeof runModelsCli>[2] = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runModelsCli(args, testConfig({ MODEL_DIR: modelDir }), { ...options, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Serves `<root>/<repo>/<path>` at `/<repo>/resolve/main/<path>`, like the Hub. */
function fakeHub(root: string): Server {
  return createHttpServer((req, res) => {
    const match = /^\/(.+?\/.+?)\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    if (req.url === '/') return res.writeHead(200).end();
    const file = match && join(root, match[1], match[2]);
    if (!file || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'x-repo-commit': '0123456789abcdef0123456789abcdef01234567' }).end(readFileSync(file));
  });
}

describe('npm run models -- pull', () => {
  it('fails fast when the hub cannot be reached, and says how to install by hand', async () => {
    const modelDir = tempDir();
    const closed = createTcpServer();
    const hubUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const started = Date.now();
    const r = await cli(['pull'], modelDir, { hubUrl });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe(`could not reach ${hubUrl} (connect ECONNREFUSED ${hubUrl.slice('http://'.length)}); no models were downloaded.`);
    expect(r.err).toContain(`copy model folders (each with its manifest.json) into MODEL_DIR (${modelDir})`);
    expect(r.err).toContain('libs/ml/README.md');
    expect(readdirSync(modelDir)).toEqual([]);
  });

  it('gives up on a host that accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((s) => sockets.push(s));
    const url = await listen(silent);
    try {
      const started = Date.now();
      const r = await cli(['pull'], tempDir(), { hubUrl: url, answerTimeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`could not reach ${url} (no answer within 0.3 s)`);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('from a hub that answers', () => {
    const hubRoot = tempDir();
    const text = writeTestTextModel(join(hubRoot, 'Org'), { name: 'text-repo', typeIds: false });
    const clip = writeTestClipModel(join(hubRoot, 'Org'), { name: 'clip-repo' });
    const server = fakeHub(hubRoot);
    let hubUrl = '';
    const recommended: RecommendedModel[] = [
      {
        name: 'tiny-text',
        description: 'test text model',
        byDefault: true,
        repo: 'Org/text-repo',
        revision: 'main',
        dims: 384,
        files: [
          { remote: 'model.onnx', path: 'onnx/model.onnx' },
          { remote: 'tokenizer.json', path: 'tokenizer.json' },
          { remote: 'tokenizer_config.json', path: 'tokenizer_config.json' },
        ],
        // As in the real table; this graph has no token_type_ids, so pull must drop it.
        spec: {
          ...(text.manifest.spec as TextSpec),
          model: 'onnx/model.onnx',
          inputs: { ids: 'input_ids', mask: 'attention_mask', typeIds: 'token_type_ids' },
        },
      },
      {
        name: 'tiny-clip',
        description: 'test clip model',
        byDefault: true,
        repo: 'Org/clip-repo',
        revision: 'main',
        dims: 512,
        files: ['vision_model.onnx', 'text_model.onnx', 'tokenizer.json', 'tokenizer_config.json'].map((f) => ({ remote: f, path: f })),
        spec: clip.manifest.spec,
      },
      {
        name: 'not-there',
        description: 'a repository the hub lacks',
        byDefault: false,
        repo: 'Org/missing',
        revision: 'main',
        dims: 384,
        files: [{ remote: 'model.onnx', path: 'model.onnx' }],
        spec: text.manifest.spec,
      },
    ];

    beforeAll(async () => {
      hubUrl = await listen(server);
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('writes each model folder with a manifest holding the sha256 of what arrived', async () => {
      const modelDir = tempDir();
      const r = await cli(['pull'], modelDir, { hubUrl, recommended });
      expect(r.err).toBe('');
      expect(r.out).not.toContain('failed');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`tiny-text: pulled ${join(modelDir, 'tiny-text')} (version 0123456789ab)`);
      expect(readdirSync(modelDir).sort()).toEqual(['tiny-clip', 'tiny-text']);

      const registry = await ModelRegistry.load(modelDir);
      expect(registry.problems).toEqual([]);
      expect((await registry.verify()).every((c) => c.ok)).toBe(true);
      const pulled = registry.get('tiny-text');
      expect(pulled?.manifest.spec).toMatchObject({ inputs: { ids: 'input_ids', mask: 'attention_mask' } });
      expect(pulled?.manifest.spec.task === 'text-embedding' && pulled.manifest.spec.inputs.typeIds).toBeUndefined();
      expect(pulled?.manifest.files.find((f) => f.path === 'onnx/model.onnx')?.sha256).toBe(text.manifest.files.find((f) => f.path === 'model.onnx')?.sha256);

      const again = await cli(['pull', 'tiny-text'], modelDir, { hubUrl, recommended });
      expect(again.out).toContain('tiny-text: present already in');
    });

    it('reports a model it cannot download and leaves nothing half-written', async () => {
      const modelDir = tempDir();
      const r = await cli(['pull', 'not-there'], modelDir, { hubUrl, recommended });
      expect(r.code).toBe(1);
      expect(r.out).toContain(`not-there: failed ${hubUrl}/Org/missing/resolve/main/model.onnx: HTTP 404`);
      expect(readdirSync(modelDir)).toEqual([]);
    });

    it('refuses names it does not know', async () => {
      const r = await cli(['pull', 'gpt-9'], tempDir(), { hubUrl, recommended });
      expect(r.code).toBe(2);
      expect(r.err).toBe('pull does not know gpt-9; it knows tiny-text, tiny-clip, not-there');
    });
  });
});

describe('npm run models -- verify', () => {
  it('passes intact models and exits 1 on a flipped byte, naming the file', async () => {
    const modelDir = tempDir();
    writeTestTextModel(modelDir);
    const clip = writeTestClipModel(modelDir);
    const ok = await cli(['verify'], modelDir);
    expect(ok).toEqual({ code: 0, out: 'test-clip: ok (4 files)\ntest-minilm: ok (3 files)', err: '' });

    const path = join(clip.dir, 'tokenizer.json');
    const bytes = readFileSync(path);
    bytes[10] ^= 0x20;
    writeFileSync(path, bytes);
    const bad = await cli(['verify'], modelDir);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^test-clip: FAILED\n {2}tokenizer\.json: sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}\ntest-minilm: ok \(3 files\)$/);
    expect((await cli(['verify', 'test-minilm'], modelDir)).code).toBe(0);
    expect(await cli(['verify', 'absent'], modelDir)).toEqual({ code: 1, out: '', err: `no model named absent in ${modelDir}` });
  });

  it('exits 1 on an unusable model folder', async () => {
    const modelDir = tempDir();
    writeTestTextModel(modelDir);
    writeFileSync(join(modelDir, 'test-minilm', 'manifest.json'), '{}');
    const r = await cli(['verify'], modelDir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^test-minilm: unusable: invalid manifest\.json: /);
  });
});

describe('npm run models -- list', () => {
  it('shows each model and what each pipeline feature would use', async () => {
    const modelDir = tempDir();
    writeTestTextModel(modelDir);
    const clip = writeTestClipModel(modelDir);
    writeFileSync(join(clip.dir, 'text_model.onnx'), 'replaced');
    const r = await cli(['list'], modelDir);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`MODEL_DIR ${modelDir}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}test-clip +1 +clip +512 dims {2}1 mismatched \(npm run models -- verify\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}test-minilm +1 +text-embedding +384 dims {2}files ok$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}text search embeddings +test-minilm 1$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}visual embeddings \(CLIP\) +off: test-clip: text_model\.onnx does not match its sha256/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}speech to text +off: no asr-whisper model in .* \(ASR_ENGINE=auto\)$/));
    // The models that ship in npm, each really loaded, with its version.
    const builtIn = lines.slice(lines.indexOf('built-in models (ship in npm):') + 1);
    expect(builtIn).toContainEqual(expect.stringMatching(/^ {2}OCR +pp-ocrv4 .*: loads$/));
    expect(builtIn).toContainEqual(expect.stringMatching(/^ {2}faces +face-api-ssd-resnet128 .*: loads$/));
    expect(builtIn).toContainEqual(expect.stringMatching(/^ {2}objects +centernet-mb3-coco 3\.\d+\.\d+\+letterbox\+jpeg-shrink: loads$/));
    expect(builtIn).toContainEqual(expect.stringMatching(/^ {2}moderation +nsfwjs-mobilenet-v2 4\.\d+\.\d+: loads$/));
    expect(builtIn).toContainEqual(expect.stringMatching(/^ {2}language +fasttext-lid\.176 \d+\.\d+\.\d+: loads$/));
    expect(builtIn).toContainEqual(expect.stringMatching(/^ {2}voice activity \(VAD\) +silero-vad/));
  }, 120_000);

  it('prints usage for an unknown command', async () => {
    const r = await cli(['frobnicate'], tempDir());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^usage: npm run models -- <command>/);
  });
});
