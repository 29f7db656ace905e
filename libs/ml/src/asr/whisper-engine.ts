import type { AsrEngine, ModelInfo, Transcript } from '../engine-types';
import { readWavSamples, SPEECH_SAMPLE_RATE, WavFormatError } from './wav-file';
import { segmentsFromPhrases, segmentsFromWords, type WhisperChunk } from './whisper-transcript';

export type WhisperTimestamps = 'word' | 'segment';

/** What the engine needs from a Whisper runtime (transformers.js in production, a fake in tests). */
export interface WhisperRunner {
  readonly multilingual: boolean;
  /** `audio`: mono 16 kHz samples in [-1, 1]. Long audio is cut in 30 s windows by the runner. */
  transcribe(audio: Float32Array, options: { language: string | null; timestamps: WhisperTimestamps }): Promise<{ text: string; chunks: WhisperChunk[] }>;
  /** ISO 639-1 code of the language spoken in the first 30 s; null when the model cannot tell. */
  detectLanguage(audio: Float32Array): Promise<string | null>;
  dispose(): Promise<void>;
}

/** Thrown by a runner asked for word timestamps by a model whose generation config has no alignment heads. */
export class WordTimestampsUnsupportedError extends Error {
  override readonly name = 'WordTimestampsUnsupportedError';
}

/** Speech to text with a Whisper model: word timestamps when the model has alignment heads, else phrase timestamps. */
export class WhisperEngine implements AsrEngine {
  private timestamps: WhisperTimestamps = 'word';

  constructor(
    readonly model: ModelInfo,
    private readonly runner: WhisperRunner,
  ) {}

  async transcribe(wavPath: string, options: { language: string | null }): Promise<Transcript> {
    if (!this.runner.multilingual && options.language !== null && options.language !== 'en') {
      throw new Error(`${this.model.name} is an English-only Whisper model; it cannot transcribe ${options.language}`);
    }
    const { info, samples } = await readWavSamples(wavPath);
    if (info.sampleRate !== SPEECH_SAMPLE_RATE) {
      throw new WavFormatError(`${wavPath}: Whisper needs 16 kHz audio, got ${info.sampleRate} Hz`);
    }
    // transformers.js decodes with <|en|> when a multilingual model is given no language.
    const language = options.language ?? (this.runner.multilingual ? ((await this.runner.detectLanguage(samples)) ?? 'en') : 'en');
    if (samples.length === 0) return { language, segments: [] };

    const runLanguage = this.runner.multilingual ? language : null;
    if (this.timestamps === 'word') {
      try {
        const out = await this.runner.transcribe(samples, { language: runLanguage, timestamps: 'word' });
        return { language, segments: segmentsFromWords(out.chunks, info.durationS) };
      } catch (err) {
        if (!(err instanceof WordTimestampsUnsupportedError)) throw err;
        this.timestamps = 'segment';
      }
    }
    const out = await this.runner.transcribe(samples, { language: runLanguage, timestamps: 'segment' });
    return { language, segments: segmentsFromPhrases(out.chunks, info.durationS) };
  }

  dispose(): Promise<void> {
    return this.runner.dispose();
  }
}
