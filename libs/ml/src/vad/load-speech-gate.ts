import type { AppConfig } from '@heimdex/config';
import type { AsrEngine, Availability } from '../engine-types';
import { SileroVad } from './silero-vad';
import { DEFAULT_SPEECH_GATE_OPTIONS, SpeechGatedAsr } from './speech-gated-asr';

/**
 * The speech engine behind Silero VAD (ASR_VAD, default on). A VAD that fails to load makes ASR
 * unavailable rather than decoding everything: an ungated recogniser invents words on music.
 */
export async function gateSpeech(config: AppConfig, asr: Availability<AsrEngine>): Promise<Availability<AsrEngine>> {
  if (!asr.available || !config.ml.asrVad) return asr;
  try {
    const vad = await SileroVad.load(config.ml.ortThreads);
    return {
      available: true,
      engine: new SpeechGatedAsr(asr.engine, vad, { ...DEFAULT_SPEECH_GATE_OPTIONS, minWordConfidence: config.ml.asrMinWordConfidence }),
    };
  } catch (err) {
    return {
      available: false,
      reason: `voice activity detection (Silero VAD) failed to load: ${err instanceof Error ? err.message : String(err)}; ASR_VAD=false decodes without it`,
    };
  }
}
