import type { DataType } from '@huggingface/transformers';
import '../onnx/onnx-telemetry';
import type { WhisperRunner, WhisperTimestamps } from './whisper-engine';
import { WordTimestampsUnsupportedError } from './whisper-engine';
import type { WhisperChunk } from './whisper-transcript';
import { SPEECH_SAMPLE_RATE } from './wav-file';

export interface TransformersWhisperOptions {
  /** Absolute path of a transformers.js Whisper folder (config.json, onnx/, tokenizer files). */
  folder: string;
  /** transformers.js `dtype`: which ONNX variant to load (fp32, q8, ...). */
  dtype: string;
  multilingual: boolean;
  /** onnxruntime intra-op threads. */
  threads: number;
}

/** Whisper's window; longer audio is cut in windows that overlap by the stride on each side. */
const chunkLengthS = 30;
const strideLengthS = 5;

const dtypes: readonly DataType[] = ['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'];

function isDataType(value: string): value is DataType {
  return (dtypes as readonly string[]).includes(value);
}

/** The parts of the pipeline's model and processor that language detection uses. */
interface CallableModel {
  (inputs: Record<string, unknown>): Promise<unknown>;
  generation_config: unknown;
}
type FeatureExtractor = (audio: Float32Array) => Promise<Record<string, unknown>>;

/**
 * A transformers.js `automatic-speech-recognition` pipeline over a local folder. Nothing is
 * fetched: remote models are switched off and the folder is given as an absolute path, which
 * transformers.js reads as a path rather than a Hub id.
 */
export async function createTransformersWhisperRunner(options: TransformersWhisperOptions): Promise<WhisperRunner> {
  if (!isDataType(options.dtype)) throw new Error(`dtype ${options.dtype} is not one transformers.js knows (${dtypes.join(', ')})`);
  // Loaded here, not at the top: onnxruntime and the library only load when a Whisper model is used.
  const transformers = await import('@huggingface/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = options.folder;
  const asr = await transformers.pipeline('automatic-speech-recognition', options.folder, {
    dtype: options.dtype,
    device: 'cpu',
    local_files_only: true,
    session_options: { intraOpNumThreads: options.threads },
  });

  return {
    multilingual: options.multilingual,

    async transcribe(audio: Float32Array, run: { language: string | null; timestamps: WhisperTimestamps }) {
      let output: unknown;
      try {
        output = await asr(audio, {
          return_timestamps: run.timestamps === 'word' ? 'word' : true,
          chunk_length_s: chunkLengthS,
          stride_length_s: strideLengthS,
          ...(options.multilingual ? { language: run.language ?? 'en', task: 'transcribe' } : {}),
        });
      } catch (err) {
        if (err instanceof Error && err.message.includes('alignment_heads')) throw new WordTimestampsUnsupportedError(err.message);
        throw err;
      }
      return pipelineOutput(output);
    },

    async detectLanguage(audio: Float32Array): Promise<string | null> {
      const model = asr.model as unknown as CallableModel;
      const config = model.generation_config;
      const langToId = numberRecord(field(config, 'lang_to_id'));
      const start = field(config, 'decoder_start_token_id');
      if (!langToId || typeof start !== 'number') return null;
      // Whisper's own detection: one decoder step after <|startoftranscript|>, the likeliest language token wins.
      const features = await (asr.processor as unknown as FeatureExtractor)(audio.subarray(0, chunkLengthS * SPEECH_SAMPLE_RATE));
      const decoderInputIds = new transformers.Tensor('int64', BigInt64Array.from([BigInt(start)]), [1, 1]);
      const logits = field(await model({ ...features, decoder_input_ids: decoderInputIds }), 'logits');
      const data = field(logits, 'data');
      if (!(data instanceof Float32Array)) return null;
      let best: { code: string; score: number } | null = null;
      for (const [token, id] of Object.entries(langToId)) {
        const code = /^<\|([a-z]{2,3})\|>$/.exec(token)?.[1];
        if (code && id < data.length && (!best || data[id] > best.score)) best = { code, score: data[id] };
      }
      return best?.code ?? null;
    },

    dispose: () => asr.dispose(),
  };
}

/** `{ text, chunks: [{ text, timestamp: [start, end] }] }`, checked: the pipeline is typed loosely. */
export function pipelineOutput(output: unknown): { text: string; chunks: WhisperChunk[] } {
  const text = field(output, 'text');
  const chunks = field(output, 'chunks');
  if (typeof text !== 'string') throw new Error('Whisper pipeline returned no text');
  if (!Array.isArray(chunks)) return { text, chunks: [] };
  return {
    text,
    chunks: chunks.map((c: unknown, i) => {
      const chunkText = field(c, 'text');
      const timestamp = field(c, 'timestamp');
      if (typeof chunkText !== 'string' || !Array.isArray(timestamp) || typeof timestamp[0] !== 'number') {
        throw new Error(`Whisper pipeline returned a malformed chunk at ${i}`);
      }
      const end: unknown = timestamp[1];
      return { text: chunkText, timestamp: [timestamp[0], typeof end === 'number' ? end : null] };
    }),
  };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function numberRecord(value: unknown): Record<string, number> | null {
  if (typeof value !== 'object' || value === null) return null;
  const entries = Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number');
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}
