import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsrEngine, ModelInfo, Transcript } from '../engine-types';
import { pcm16MonoWav, readWavSamples, SPEECH_SAMPLE_RATE } from '../asr/wav-file';
import { condensedLayout, condensedSamples, restoreSegments } from './condensed-audio';
import type { SileroVad } from './silero-vad';
import { DEFAULT_SPEECH_REGION_OPTIONS, totalSeconds, type SpeechRegionOptions } from './speech-regions';

export interface SpeechGateOptions {
  regions: SpeechRegionOptions;
  /** Words the recogniser scores below this are dropped (engines without scores keep every word). */
  minWordConfidence: number;
  /** A speech region whose words are all scored below this is dropped whole: the VAD let music or noise through. */
  minRegionConfidence: number;
  /** Seconds of the first region decoded twice, the first time only to settle the decoder (0: none). */
  warmupS: number;
}

/**
 * Measured on the tuning clips (LJ001-0001..0008, the search-eval espeak phrases, 6 music loops):
 * with no word floor, a 3 s warm-up took LJ Speech WER from 0.389 to 0.344 and espeak phrase words
 * heard from 16 to 15 of 20 (raw pocketsphinx: 0.443, 11 of 20), for at most 3 s more audio decoded
 * per file. A 0.1 floor gave WER 0.282 but lost short phrases ("coffee" scored 0.00), so there is
 * none by default; ASR_MIN_WORD_CONFIDENCE sets one. Dropping only regions whose words all score
 * below 0.1 took words invented on the held-out music from 1 ("then", 0.05, on a guitar) to 0
 * with LJ Speech WER unchanged.
 */
export const DEFAULT_SPEECH_GATE_OPTIONS: SpeechGateOptions = {
  regions: DEFAULT_SPEECH_REGION_OPTIONS,
  minWordConfidence: 0,
  minRegionConfidence: 0.1,
  warmupS: 3,
};

/**
 * Speech recognition on speech only: Silero VAD picks the regions that are speech, the inner engine
 * decodes just those (laid end to end), and words come back at their times in the source. Music,
 * noise and silence never reach the recogniser, so it cannot invent words there, and it has less to decode.
 */
export class SpeechGatedAsr implements AsrEngine {
  readonly model: ModelInfo;

  constructor(
    private readonly inner: AsrEngine,
    private readonly vad: SileroVad,
    private readonly options: SpeechGateOptions,
  ) {
    this.model = inner.model;
  }

  async transcribe(wavPath: string, options: { language: string | null }): Promise<Transcript> {
    const { info, samples } = await readWavSamples(wavPath);
    if (info.sampleRate !== SPEECH_SAMPLE_RATE) throw new Error(`${wavPath}: voice activity detection needs 16 kHz audio, got ${info.sampleRate} Hz`);
    const regions = await this.vad.speechRegions(samples, this.options.regions);
    const speech = {
      regions: regions.length,
      seconds: totalSeconds(regions),
      ofSeconds: info.durationS,
    };
    if (!regions.length) return { language: options.language, segments: [], speech };

    const pieces = condensedLayout(regions, undefined, this.options.warmupS);
    const dir = await mkdtemp(join(tmpdir(), 'heimdex-speech-'));
    try {
      const condensed = join(dir, 'speech.wav');
      await writeFile(condensed, pcm16MonoWav(condensedSamples(samples, info.sampleRate, pieces)));
      const transcript = await this.inner.transcribe(condensed, options);
      return {
        language: transcript.language,
        segments: restoreSegments(transcript.segments, pieces, this.options.minWordConfidence, this.options.minRegionConfidence),
        speech,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
