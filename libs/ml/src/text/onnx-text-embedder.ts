import { join } from 'node:path';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import type { ModelInfo, TextEmbedder } from '../engine-types';
import { dimsMismatch, floatOutput } from '../onnx/float-output';
import { assertSessionIo, createOnnxSession, declaredLastDim, declaredShape, type OnnxSessionOptions } from '../onnx/onnx-session';
import type { RegisteredModel } from '../registry/model-registry';
import type { TextEmbeddingSpec } from '../registry/model-manifest';
import { BatchTokenizer } from '../tokenizer/batch-tokenizer';
import { l2Normalise } from '../vectors/l2-normalise';
import { clsPool, meanPool } from './token-pooling';

/** Texts per inference: bounds memory on long inputs without losing much throughput. */
const BATCH_SIZE = 32;

/** Sentence embeddings from a `text-embedding` manifest (MiniLM, e5, ...) on onnxruntime. */
export class OnnxTextEmbedder implements TextEmbedder {
  readonly model: ModelInfo;
  readonly dims: number;
  private readonly modelPath: string;

  private constructor(
    registered: RegisteredModel<'text-embedding'>,
    private readonly spec: TextEmbeddingSpec,
    private readonly session: InferenceSession,
    private readonly tokenizer: BatchTokenizer,
  ) {
    this.model = { name: registered.manifest.name, version: registered.manifest.version };
    this.dims = registered.manifest.dims;
    this.modelPath = join(registered.dir, spec.model);
  }

  static async create(registered: RegisteredModel<'text-embedding'>, options: OnnxSessionOptions): Promise<OnnxTextEmbedder> {
    const spec = registered.manifest.spec;
    const modelPath = join(registered.dir, spec.model);
    const tokenizer = await BatchTokenizer.load(join(registered.dir, spec.tokenizer), spec.maxLength);
    const session = await createOnnxSession(modelPath, options);
    try {
      const inputs = [spec.inputs.ids, spec.inputs.mask, spec.inputs.typeIds].filter((n): n is string => n !== undefined);
      assertSessionIo(session, modelPath, inputs, spec.output);
      const shape = declaredShape(session, spec.output);
      const rank = spec.pooling === 'none' ? 2 : 3;
      if (shape && shape.length !== rank) {
        const wanted = rank === 2 ? '[batch, dims]' : '[batch, sequence, dims]';
        throw new Error(`${modelPath}: output ${spec.output} has shape [${shape.join(', ')}]; pooling ${spec.pooling} needs ${wanted}`);
      }
      const embedder = new OnnxTextEmbedder(registered, spec, session, tokenizer);
      const declared = declaredLastDim(session, spec.output);
      if (declared !== null && declared !== registered.manifest.dims) throw dimsMismatch(modelPath, spec.output, declared, registered.manifest.dims);
      // Undeclared widths are checked on a real run, so a wrong manifest fails here and not mid-pipeline.
      if (declared === null) await embedder.embed(['probe'], 'passage');
      return embedder;
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  async embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    const prefix = kind === 'query' ? this.spec.queryPrefix : this.spec.passagePrefix;
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH_SIZE) {
      out.push(...(await this.embedBatch(texts.slice(i, i + BATCH_SIZE).map((t) => prefix + t))));
    }
    return out;
  }

  /** Token ids the model sees for one text (prefix, truncation and special tokens applied). */
  tokenIds(text: string, kind: 'query' | 'passage'): number[] {
    return this.tokenizer.encode((kind === 'query' ? this.spec.queryPrefix : this.spec.passagePrefix) + text);
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const tokens = this.tokenizer.batch(texts, 'longest');
    const shape = [tokens.batch, tokens.length];
    const feeds: Record<string, Tensor> = { [this.spec.inputs.ids]: new Tensor('int64', tokens.ids, shape) };
    if (this.spec.inputs.mask) feeds[this.spec.inputs.mask] = new Tensor('int64', tokens.mask, shape);
    if (this.spec.inputs.typeIds) feeds[this.spec.inputs.typeIds] = new Tensor('int64', new BigInt64Array(tokens.ids.length), shape);
    const { data, dims } = floatOutput(await this.session.run(feeds), this.spec.output, this.modelPath);

    const width = dims[dims.length - 1];
    if (width !== this.dims) throw dimsMismatch(this.modelPath, this.spec.output, width, this.dims);
    const pooled = this.spec.pooling === 'none';
    const expected = pooled ? [tokens.batch, this.dims] : [tokens.batch, tokens.length, this.dims];
    if (dims.length !== expected.length || dims.some((d, i) => d !== expected[i])) {
      throw new Error(
        `${this.modelPath}: output ${this.spec.output} has shape [${dims.join(', ')}], expected [${expected.join(', ')}] for pooling ${this.spec.pooling}`,
      );
    }
    const vectors =
      this.spec.pooling === 'mean'
        ? meanPool(data, tokens.mask, tokens.batch, tokens.length, this.dims)
        : this.spec.pooling === 'cls'
          ? clsPool(data, tokens.batch, tokens.length, this.dims)
          : Array.from({ length: tokens.batch }, (_, b) => Float32Array.from(data.subarray(b * this.dims, (b + 1) * this.dims)));
    return vectors.map(l2Normalise);
  }
}
