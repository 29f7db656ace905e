import { z } from 'zod';

/**
 * One model in MODEL_DIR: `<MODEL_DIR>/<name>/manifest.json`. Every file is listed with its
 * sha256 so `npm run models -- verify` can tell a corrupt download from a good one, and the
 * runners read input/output names and preprocessing from here rather than guessing.
 */
const file = z.object({ path: z.string().min(1), sha256: z.string().regex(/^[a-f0-9]{64}$/) });

const textEmbedding = z.object({
  task: z.literal('text-embedding'),
  /** ONNX graph and tokenizer.json, relative to the manifest's folder. */
  model: z.string(),
  tokenizer: z.string(),
  inputs: z.object({ ids: z.string(), mask: z.string().optional(), typeIds: z.string().optional() }),
  /** `last_hidden_state` ([batch, seq, dims], pooled here) or a pooled output ([batch, dims]). */
  output: z.string(),
  pooling: z.enum(['mean', 'cls', 'none']),
  maxLength: z.number().int().positive(),
  /** e5-style prefixes; empty for models trained without them. */
  queryPrefix: z.string().default(''),
  passagePrefix: z.string().default(''),
});

const clip = z.object({
  task: z.literal('clip'),
  image: z.object({ model: z.string(), input: z.string(), output: z.string() }),
  text: z.object({
    model: z.string(),
    tokenizer: z.string(),
    inputs: z.object({ ids: z.string(), mask: z.string().optional() }),
    output: z.string(),
    maxLength: z.number().int().positive(),
  }),
  preprocessing: z.object({
    size: z.number().int().positive(),
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number(), z.number(), z.number()]),
  }),
});

const whisper = z.object({
  task: z.literal('asr-whisper'),
  /** A transformers.js model folder (config.json, onnx/encoder_model*.onnx, onnx/decoder_model_merged*.onnx, tokenizer files). */
  folder: z.string(),
  /** Which ONNX variant to load: fp32, q8, ... (transformers.js `dtype`). */
  dtype: z.string().default('fp32'),
  multilingual: z.boolean(),
});

export const modelManifestSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  version: z.string().min(1),
  description: z.string().optional(),
  /** Output dimensionality (embeddings); 0 for models that do not embed. */
  dims: z.number().int().min(0),
  files: z.array(file).min(1),
  spec: z.discriminatedUnion('task', [textEmbedding, clip, whisper]),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ModelTask = ModelManifest['spec']['task'];
export type TextEmbeddingSpec = z.infer<typeof textEmbedding>;
export type ClipSpec = z.infer<typeof clip>;
export type WhisperSpec = z.infer<typeof whisper>;
