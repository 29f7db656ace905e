import type { ModelManifest } from '@heimdex/ml';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

/**
 * Small but real ONNX models, tokenizers and manifests written into a MODEL_DIR, with the input and
 * output names and shapes of the real exports (MiniLM, Xenova CLIP ViT-B/32) and known weights, so
 * tests can compute the expected vectors by hand.
 */

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

/** Deterministic weights in [-1, 1) (mulberry32), rounded to float32 as the model stores them. */
export function seededWeights(seed: number, count: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

// --- ONNX graph building -------------------------------------------------------------------------

type Dim = number | string;

function floatTensor(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  return { name, dims: [values.length], dataType: DataType.INT64, int64Data: values };
}

function valueInfo(name: string, elemType: number, shape: Dim[]): onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input, output, name: `${opType}_${output[0]}`, attribute };
}

const intAttr = (name: string, i: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i });
const intsAttr = (name: string, ints: number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints });

function writeOnnx(path: string, graph: onnx.IGraphProto): void {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'heimdex-tests',
    graph,
  });
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
}

// --- tokenizers ----------------------------------------------------------------------------------

function addedToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

const BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** A BERT-style lowercase WordPiece tokenizer.json like MiniLM's, over the given words. */
function wordPieceTokenizer(words: string[]): { json: unknown; config: unknown; vocab: Map<string, number> } {
  const vocab = new Map([...BERT_SPECIALS, ...words].map((t, i) => [t, i]));
  const id = (t: string): number => vocab.get(t) as number;
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: BERT_SPECIALS.map((t) => addedToken(id(t), t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
  const config = {
    do_lower_case: true,
    model_max_length: 512,
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    unk_token: '[UNK]',
    tokenizer_class: 'BertTokenizer',
  };
  return { json, config, vocab };
}

/**
 * A CLIP-style BPE tokenizer.json (lowercase, `</w>` word ends, RobertaProcessing with
 * <|startoftext|> / <|endoftext|>) whose merges build each given word from its letters.
 */
function clipBpeTokenizer(words: string[]): { json: unknown; config: unknown; vocab: Map<string, number> } {
  const tokens: string[] = [];
  const merges: string[] = [];
  const add = (t: string): void => {
    if (!tokens.includes(t)) tokens.push(t);
  };
  for (const c of 'abcdefghijklmnopqrstuvwxyz') add(c);
  for (const c of 'abcdefghijklmnopqrstuvwxyz') add(`${c}</w>`);
  for (const word of words) {
    const pieces = [...word].map((c, i) => (i === word.length - 1 ? `${c}</w>` : c));
    let left = pieces[0];
    for (const right of pieces.slice(1)) {
      const merge = `${left} ${right}`;
      if (!merges.includes(merge)) merges.push(merge);
      left += right;
      add(left);
    }
  }
  add('<|startoftext|>');
  add('<|endoftext|>');
  const vocab = new Map(tokens.map((t, i) => [t, i]));
  const sot = vocab.get('<|startoftext|>') as number;
  const eot = vocab.get('<|endoftext|>') as number;
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [addedToken(sot, '<|startoftext|>'), addedToken(eot, '<|endoftext|>')],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', eot], cls: ['<|startoftext|>', sot], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'BPEDecoder', suffix: '</w>' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  const config = { model_max_length: 77, pad_token: '<|endoftext|>', bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>' };
  return { json, config, vocab };
}

// --- manifests -----------------------------------------------------------------------------------

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Writes `manifest.json` listing `files` with their sha256. */
export function writeManifest(dir: string, manifest: Omit<ModelManifest, 'files'>, files: string[]): ModelManifest {
  const full = { ...manifest, files: files.map((path) => ({ path, sha256: sha256File(join(dir, path)) })) } as ModelManifest;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(full, null, 2));
  return full;
}

// --- the text embedding model --------------------------------------------------------------------

export const TEST_TEXT_DIMS = 384;
export const TEST_TEXT_WORDS = ['query', 'passage', ':', 'hello', 'world', 'the', 'cat', 'sat', 'on', 'mat', 'red', 'blue', 'sky', 'a', 'dog', '##s'];

export interface TestTextModel {
  dir: string;
  manifest: ModelManifest;
  vocab: Map<string, number>;
  /**
   * `last_hidden_state[b, s] = embedding[input_ids[b, s]] + typeEmbedding[token_type_ids[b, s]] + attention_mask[b, s] * maskRow`
   * (typeEmbedding is zeros for a model written without token_type_ids).
   */
  embedding(id: number): Float32Array;
  typeEmbedding(typeId: number): Float32Array;
  maskRow: Float32Array;
}

export interface TestTextModelOptions {
  name?: string;
  /** What the manifest claims; the graph always outputs 384. */
  manifestDims?: number;
  pooling?: 'mean' | 'cls' | 'none';
  maxLength?: number;
  queryPrefix?: string;
  passagePrefix?: string;
  /** Without it the graph has no token_type_ids input (and no type embedding), like XLM-R exports. */
  typeIds?: boolean;
  /** false: the output's last dimension is symbolic, so only a run tells the width. */
  declareDims?: boolean;
}

/**
 * `<modelDir>/<name>/`: model.onnx (input_ids, attention_mask, token_type_ids → last_hidden_state),
 * tokenizer.json, tokenizer_config.json, manifest.json.
 */
export function writeTestTextModel(modelDir: string, options: TestTextModelOptions = {}): TestTextModel {
  const name = options.name ?? 'test-minilm';
  const dir = join(modelDir, name);
  mkdirSync(dir, { recursive: true });
  const d = TEST_TEXT_DIMS;
  const tok = wordPieceTokenizer(TEST_TEXT_WORDS);
  const vocabSize = tok.vocab.size;
  const table = seededWeights(1, vocabSize * d);
  const types = seededWeights(2, 2 * d);
  const maskRow = seededWeights(3, d);

  const ids = valueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const mask = valueInfo('attention_mask', DataType.INT64, ['batch_size', 'sequence_length']);
  const withTypes = options.typeIds ?? true;
  const typeIds = valueInfo('token_type_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const typeNodes = [node('Gather', ['type_embeddings', 'token_type_ids'], ['types'], [intAttr('axis', 0)]), node('Add', ['words', 'types'], ['words_types'])];
  writeOnnx(join(dir, 'model.onnx'), {
    name: 'test-text',
    input: withTypes ? [ids, mask, typeIds] : [ids, mask],
    output: [valueInfo('last_hidden_state', DataType.FLOAT, ['batch_size', 'sequence_length', options.declareDims === false ? 'hidden_size' : d])],
    initializer: [
      floatTensor('word_embeddings', [vocabSize, d], table),
      ...(withTypes ? [floatTensor('type_embeddings', [2, d], types)] : []),
      floatTensor('mask_row', [d], maskRow),
      int64Tensor('last_axis', [-1]),
    ],
    node: [
      node('Gather', ['word_embeddings', 'input_ids'], ['words'], [intAttr('axis', 0)]),
      ...(withTypes ? typeNodes : [node('Identity', ['words'], ['words_types'])]),
      node('Cast', ['attention_mask'], ['mask_f'], [intAttr('to', DataType.FLOAT)]),
      node('Unsqueeze', ['mask_f', 'last_axis'], ['mask_3d']),
      node('Mul', ['mask_3d', 'mask_row'], ['mask_term']),
      node('Add', ['words_types', 'mask_term'], ['last_hidden_state']),
    ],
  });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.json));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.config));
  const manifest = writeManifest(
    dir,
    {
      name,
      version: '1',
      dims: options.manifestDims ?? d,
      spec: {
        task: 'text-embedding',
        model: 'model.onnx',
        tokenizer: 'tokenizer.json',
        inputs: { ids: 'input_ids', mask: 'attention_mask', typeIds: withTypes ? 'token_type_ids' : undefined },
        output: 'last_hidden_state',
        pooling: options.pooling ?? 'mean',
        maxLength: options.maxLength ?? 16,
        queryPrefix: options.queryPrefix ?? 'query: ',
        passagePrefix: options.passagePrefix ?? 'passage: ',
      },
    },
    ['model.onnx', 'tokenizer.json', 'tokenizer_config.json'],
  );
  return {
    dir,
    manifest,
    vocab: tok.vocab,
    embedding: (id) => table.slice(id * d, (id + 1) * d),
    typeEmbedding: (typeId) => (withTypes ? types.slice(typeId * d, (typeId + 1) * d) : new Float32Array(d)),
    maskRow,
  };
}

// --- the CLIP model ------------------------------------------------------------------------------

export const TEST_CLIP_DIMS = 512;
export const TEST_CLIP_SIZE = 224;
export const TEST_CLIP_WORDS = ['a', 'photo', 'of', 'cat', 'dog', 'red', 'car'];
export const CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

export interface TestClipModel {
  dir: string;
  manifest: ModelManifest;
  vocab: Map<string, number>;
  /** `image_embeds[b] = mean over H, W of pixel_values[b] (3 values) × projection` ([3, 512], row-major). */
  projection: Float32Array;
  /** `text_embeds[b] = Σ_s attention_mask[b, s] * textEmbedding[input_ids[b, s]]` */
  textEmbedding(id: number): Float32Array;
}

export interface TestClipModelOptions {
  name?: string;
  manifestDims?: number;
  maxLength?: number;
}

/** `<modelDir>/<name>/`: vision_model.onnx (pixel_values → image_embeds), text_model.onnx (input_ids, attention_mask → text_embeds), tokenizer files, manifest.json. */
export function writeTestClipModel(modelDir: string, options: TestClipModelOptions = {}): TestClipModel {
  const name = options.name ?? 'test-clip';
  const dir = join(modelDir, name);
  mkdirSync(dir, { recursive: true });
  const d = TEST_CLIP_DIMS;
  const size = TEST_CLIP_SIZE;
  const projection = seededWeights(11, 3 * d);
  writeOnnx(join(dir, 'vision_model.onnx'), {
    name: 'test-clip-vision',
    input: [valueInfo('pixel_values', DataType.FLOAT, ['batch_size', 3, size, size])],
    output: [valueInfo('image_embeds', DataType.FLOAT, ['batch_size', d])],
    initializer: [floatTensor('projection', [3, d], projection)],
    node: [
      node('ReduceMean', ['pixel_values'], ['channel_means'], [intsAttr('axes', [2, 3]), intAttr('keepdims', 0)]),
      node('MatMul', ['channel_means', 'projection'], ['image_embeds']),
    ],
  });

  const tok = clipBpeTokenizer(TEST_CLIP_WORDS);
  const vocabSize = tok.vocab.size;
  const table = seededWeights(12, vocabSize * d);
  writeOnnx(join(dir, 'text_model.onnx'), {
    name: 'test-clip-text',
    input: [
      valueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length']),
      valueInfo('attention_mask', DataType.INT64, ['batch_size', 'sequence_length']),
    ],
    output: [valueInfo('text_embeds', DataType.FLOAT, ['batch_size', d])],
    initializer: [floatTensor('token_embeddings', [vocabSize, d], table), int64Tensor('last_axis', [-1]), int64Tensor('sequence_axis', [1])],
    node: [
      node('Gather', ['token_embeddings', 'input_ids'], ['tokens'], [intAttr('axis', 0)]),
      node('Cast', ['attention_mask'], ['mask_f'], [intAttr('to', DataType.FLOAT)]),
      node('Unsqueeze', ['mask_f', 'last_axis'], ['mask_3d']),
      node('Mul', ['tokens', 'mask_3d'], ['masked']),
      node('ReduceSum', ['masked', 'sequence_axis'], ['text_embeds'], [intAttr('keepdims', 0)]),
    ],
  });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.json));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.config));
  const manifest = writeManifest(
    dir,
    {
      name,
      version: '1',
      dims: options.manifestDims ?? d,
      spec: {
        task: 'clip',
        image: { model: 'vision_model.onnx', input: 'pixel_values', output: 'image_embeds' },
        text: {
          model: 'text_model.onnx',
          tokenizer: 'tokenizer.json',
          inputs: { ids: 'input_ids', mask: 'attention_mask' },
          output: 'text_embeds',
          maxLength: options.maxLength ?? 12,
        },
        preprocessing: { size, mean: CLIP_MEAN, std: CLIP_STD },
      },
    },
    ['vision_model.onnx', 'text_model.onnx', 'tokenizer.json', 'tokenizer_config.json'],
  );
  return { dir, manifest, vocab: tok.vocab, projection, textEmbedding: (id) => table.slice(id * d, (id + 1) * d) };
}
