import { Tokenizer } from '@huggingface/tokenizers';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Token ids and attention mask of a batch, row-major [batch, length], ready for int64 tensors. */
export interface TokenBatch {
  ids: BigInt64Array;
  mask: BigInt64Array;
  batch: number;
  length: number;
}

/**
 * A Hugging Face tokenizer.json (with the tokenizer_config.json beside it, when there is one)
 * plus what tokenizers.js leaves to the caller: truncation that keeps the closing special token,
 * and padding.
 */
export class BatchTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
    readonly padId: number,
    /** Special tokens the post-processor adds after the text ([SEP], <|endoftext|>). */
    private readonly closingSpecials: number,
  ) {}

  static async load(tokenizerPath: string, maxLength: number): Promise<BatchTokenizer> {
    const json = await readJson(tokenizerPath, true);
    const config = await readJson(join(dirname(tokenizerPath), 'tokenizer_config.json'), false);
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(json, config);
    } catch (err) {
      throw new Error(`cannot use the tokenizer ${tokenizerPath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const { opening, closing } = specialsAround(tokenizer);
    if (maxLength <= opening + closing) throw new Error(`maxLength ${maxLength} leaves no room for text between the special tokens`);
    return new BatchTokenizer(tokenizer, maxLength, padId(tokenizer, json, config), closing);
  }

  /** Ids with special tokens, truncated to maxLength. */
  encode(text: string): number[] {
    const ids = this.tokenizer.encode(text).ids;
    if (ids.length <= this.maxLength) return ids;
    const keep = this.maxLength - this.closingSpecials;
    return [...ids.slice(0, keep), ...ids.slice(ids.length - this.closingSpecials)];
  }

  /** `longest`: pads to the longest text of the batch; `max`: to maxLength (models traced at a fixed length). */
  batch(texts: string[], padTo: 'longest' | 'max'): TokenBatch {
    const encoded = texts.map((t) => this.encode(t));
    const length = padTo === 'max' ? this.maxLength : Math.max(1, ...encoded.map((e) => e.length));
    const ids = new BigInt64Array(texts.length * length).fill(BigInt(this.padId));
    const mask = new BigInt64Array(texts.length * length);
    encoded.forEach((row, b) => {
      row.forEach((id, s) => {
        ids[b * length + s] = BigInt(id);
        mask[b * length + s] = 1n;
      });
    });
    return { ids, mask, batch: texts.length, length };
  }
}

/** How many special tokens the post-processor puts before and after a text. */
function specialsAround(tokenizer: Tokenizer): { opening: number; closing: number } {
  const probe = 'a';
  const full = tokenizer.encode(probe).ids;
  const plain = tokenizer.encode(probe, { add_special_tokens: false }).ids;
  for (let start = 0; start + plain.length <= full.length; start++) {
    if (plain.every((id, i) => full[start + i] === id)) return { opening: start, closing: full.length - start - plain.length };
  }
  return { opening: 0, closing: Math.max(0, full.length - plain.length) };
}

function padId(tokenizer: Tokenizer, json: Record<string, unknown>, config: Record<string, unknown>): number {
  const padding = json.padding;
  if (isRecord(padding) && typeof padding.pad_id === 'number') return padding.pad_id;
  const token = config.pad_token;
  const content = typeof token === 'string' ? token : isRecord(token) && typeof token.content === 'string' ? token.content : null;
  return (content !== null ? tokenizer.token_to_id(content) : undefined) ?? 0;
}

async function readJson(path: string, required: boolean): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (required) throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : {};
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
