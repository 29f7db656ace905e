import { join } from 'node:path';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import type { ClipEmbedder, ModelInfo } from '../engine-types';
import { dimsMismatch, floatOutput } from '../onnx/float-output';
import { assertSessionIo, createOnnxSession, declaredLastDim, type OnnxSessionOptions } from '../onnx/onnx-session';
import type { ClipSpec } from '../registry/model-manifest';
import type { RegisteredModel } from '../registry/model-registry';
import { BatchTokenizer } from '../tokenizer/batch-tokenizer';
import { normalisedRows } from '../vectors/l2-normalise';
import { clipPixelValues } from './clip-image-preprocess';

const IMAGE_BATCH = 16;
const TEXT_BATCH = 32;

/** CLIP image and text towers from a `clip` manifest (two ONNX graphs sharing one space). */
export class OnnxClipEmbedder implements ClipEmbedder {
  readonly model: ModelInfo;
  readonly dims: number;
  private readonly visionPath: string;
  private readonly textPath: string;

  private constructor(
    registered: RegisteredModel<'clip'>,
    private readonly spec: ClipSpec,
    private readonly vision: InferenceSession,
    private readonly text: InferenceSession,
    private readonly tokenizer: BatchTokenizer,
  ) {
    this.model = { name: registered.manifest.name, version: registered.manifest.version };
    this.dims = registered.manifest.dims;
    this.visionPath = join(registered.dir, spec.image.model);
    this.textPath = join(registered.dir, spec.text.model);
  }

  static async create(registered: RegisteredModel<'clip'>, options: OnnxSessionOptions): Promise<OnnxClipEmbedder> {
    const spec = registered.manifest.spec;
    const dims = registered.manifest.dims;
    const visionPath = join(registered.dir, spec.image.model);
    const textPath = join(registered.dir, spec.text.model);
    const tokenizer = await BatchTokenizer.load(join(registered.dir, spec.text.tokenizer), spec.text.maxLength);
    const sessions: InferenceSession[] = [];
    try {
      const vision = await createOnnxSession(visionPath, options);
      sessions.push(vision);
      const text = await createOnnxSession(textPath, options);
      sessions.push(text);
      assertSessionIo(vision, visionPath, [spec.image.input], spec.image.output);
      assertVisionInputSize(vision, visionPath, spec);
      const textInputs = [spec.text.inputs.ids, spec.text.inputs.mask].filter((n): n is string => n !== undefined);
      assertSessionIo(text, textPath, textInputs, spec.text.output);

      const embedder = new OnnxClipEmbedder(registered, spec, vision, text, tokenizer);
      const visionDims = declaredLastDim(vision, spec.image.output);
      const textDims = declaredLastDim(text, spec.text.output);
      if (visionDims !== null && visionDims !== dims) throw dimsMismatch(visionPath, spec.image.output, visionDims, dims);
      if (textDims !== null && textDims !== dims) throw dimsMismatch(textPath, spec.text.output, textDims, dims);
      // Undeclared widths are checked on a real run, so a wrong manifest fails here and not mid-pipeline.
      if (visionDims === null) await embedder.embedImages([await probeImage()]);
      if (textDims === null) await embedder.embedTexts(['a photo']);
      return embedder;
    } catch (err) {
      await Promise.all(sessions.map((s) => s.release()));
      throw err;
    }
  }

  async embedImages(images: Buffer[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < images.length; i += IMAGE_BATCH) out.push(...(await this.embedImageBatch(images.slice(i, i + IMAGE_BATCH), i)));
    return out;
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += TEXT_BATCH) out.push(...(await this.embedTextBatch(texts.slice(i, i + TEXT_BATCH))));
    return out;
  }

  /** Token ids the text tower sees for one text (special tokens and truncation applied, before padding). */
  tokenIds(text: string): number[] {
    return this.tokenizer.encode(text);
  }

  async close(): Promise<void> {
    await Promise.all([this.vision.release(), this.text.release()]);
  }

  private async embedImageBatch(images: Buffer[], firstIndex: number): Promise<Float32Array[]> {
    const p = this.spec.preprocessing;
    const pixels = await Promise.all(
      images.map((image, i) =>
        clipPixelValues(image, p).catch((err: unknown) => {
          throw new Error(`image ${firstIndex + i}: ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
    const one = 3 * p.size * p.size;
    const batch = new Float32Array(images.length * one);
    pixels.forEach((px, i) => batch.set(px, i * one));
    const feeds = { [this.spec.image.input]: new Tensor('float32', batch, [images.length, 3, p.size, p.size]) };
    const result = floatOutput(await this.vision.run(feeds), this.spec.image.output, this.visionPath);
    return this.rows(result.data, result.dims, images.length, this.visionPath, this.spec.image.output);
  }

  private async embedTextBatch(texts: string[]): Promise<Float32Array[]> {
    // Padded to maxLength: CLIP text towers are trained (and often traced) at a fixed length.
    const tokens = this.tokenizer.batch(texts, 'max');
    const shape = [tokens.batch, tokens.length];
    const feeds: Record<string, Tensor> = { [this.spec.text.inputs.ids]: new Tensor('int64', tokens.ids, shape) };
    if (this.spec.text.inputs.mask) feeds[this.spec.text.inputs.mask] = new Tensor('int64', tokens.mask, shape);
    const result = floatOutput(await this.text.run(feeds), this.spec.text.output, this.textPath);
    return this.rows(result.data, result.dims, texts.length, this.textPath, this.spec.text.output);
  }

  private rows(data: Float32Array, dims: readonly number[], batch: number, modelPath: string, output: string): Float32Array[] {
    const width = dims[dims.length - 1];
    if (width !== this.dims) throw dimsMismatch(modelPath, output, width, this.dims);
    if (dims.length !== 2 || dims[0] !== batch)
      throw new Error(`${modelPath}: output ${output} has shape [${dims.join(', ')}], expected [${batch}, ${this.dims}]`);
    return normalisedRows(data, batch, this.dims);
  }
}

/** A model traced at one resolution cannot take another: say so at load. */
function assertVisionInputSize(session: InferenceSession, modelPath: string, spec: ClipSpec): void {
  const meta = session.inputMetadata.find((m) => m.name === spec.image.input);
  if (!meta || !meta.isTensor || meta.shape.length !== 4) return;
  const [, , h, w] = meta.shape;
  const size = spec.preprocessing.size;
  if ((typeof h === 'number' && h !== size) || (typeof w === 'number' && w !== size)) {
    throw new Error(`${modelPath} takes ${String(w)}x${String(h)} images but the manifest's preprocessing.size is ${size}`);
  }
}

function probeImage(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .png()
    .toBuffer();
}
