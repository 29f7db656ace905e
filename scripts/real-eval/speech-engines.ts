import type { AppConfig } from '@heimdex/config';
import { extractSpeechWav, resolveFfmpegBinaries } from '@heimdex/media';
import { findPocketsphinx, gateSpeech, PocketsphinxEngine, type AsrEngine, type TranscriptWord } from '@heimdex/ml';
import { basename, join } from 'node:path';

/** Raw pocketsphinx (what Heimdex decoded before) and the pipeline's engine (Silero VAD gate + confidence floor), from one config. */
export interface SpeechEngines {
  raw: AsrEngine;
  pipeline: AsrEngine;
}

/**
 * A decoder is given 10 minutes a file here rather than the worker's 60 s + 2 × the audio: on a
 * shared, overloaded machine pocketsphinx ran at 8× real time, and an evaluation measures words, not time.
 */
const EVAL_TIMEOUT_S = 600;

export async function loadSpeechEngines(config: AppConfig): Promise<SpeechEngines | { reason: string }> {
  const install = await findPocketsphinx({ binaryPath: config.ml.pocketsphinxPath, language: config.ml.asrLanguage });
  if ('reason' in install) return { reason: install.reason };
  const raw = {
    available: true as const,
    engine: new PocketsphinxEngine(install, { processes: config.ml.pocketsphinxProcesses, minTimeoutS: EVAL_TIMEOUT_S }),
  };
  const pipeline = await gateSpeech({ ...config, ml: { ...config.ml, asrVad: true } }, raw);
  if (!pipeline.available) return { reason: pipeline.reason };
  return { raw: raw.engine, pipeline: pipeline.engine };
}

/** Any audio or video file as the 16 kHz mono WAV audio_extract makes, then its words and the seconds recognition took. */
export async function recognise(engine: AsrEngine, input: string, workDir: string, config: AppConfig): Promise<{ words: TranscriptWord[]; seconds: number }> {
  const wav = join(workDir, `${basename(input)}.16k.wav`);
  await extractSpeechWav(resolveFfmpegBinaries(config.media), input, wav);
  const t0 = performance.now();
  const transcript = await engine.transcribe(wav, { language: 'en' });
  return { words: transcript.segments.flatMap((s) => s.words), seconds: (performance.now() - t0) / 1000 };
}
