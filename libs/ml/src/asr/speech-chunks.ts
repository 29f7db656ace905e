import { open, type FileHandle } from 'node:fs/promises';
import type { WavInfo } from './wav-file';

/**
 * A part of a recording decoded on its own. Its words are those from `startS` to `endS`; the
 * decoder is given the samples from `decodeFromS` (a warm-up before `startS`) in `range`.
 */
export interface SpeechChunk {
  startS: number;
  endS: number;
  decodeFromS: number;
  range: { start: number; end: number };
}

export interface ChunkPlanOptions {
  /** How many parts at most (one decoder process each). */
  parts: number;
  /** A part is never shorter than this: short files are decoded whole. */
  minPartS: number;
  /** How far from an even split the quietest moment is looked for. */
  searchS: number;
  /** Length of the windows whose energy is compared. */
  windowS: number;
  /** How far back from a cut the warm-up utterance is looked for. */
  maxWarmupS: number;
  /** Of a long warm-up utterance only its end is decoded: enough for the decoder to settle. */
  maxWarmupUtteranceS: number;
}

export const DEFAULT_CHUNK_PLAN: Omit<ChunkPlanOptions, 'parts'> = { minPartS: 30, searchS: 4, windowS: 0.1, maxWarmupS: 120, maxWarmupUtteranceS: 10 };

/** A burst counts as speech when its windows are this many times the noise floor's energy (10 dB). */
const SPEECH_OVER_FLOOR = 10;
/** ...for at least this many windows in a row. */
const SPEECH_MIN_WINDOWS = 3;

/**
 * Splits a 16-bit mono WAV into parts for parallel decoding, cutting at the quietest window near
 * each even split so that no word is cut in two (a pause in speech is the quietest place).
 *
 * Each part after the first is decoded from the start of the last utterance before its cut, and
 * that utterance's words are dropped: pocketsphinx adapts its cepstral mean at the end of each
 * utterance, and the first utterance it hears is often misheard (measured on the en-us model: a
 * phrase decoded first was wrong wherever the file was started, right after any earlier phrase).
 * Decoding the silence in between costs little: pocketsphinx skips frames its VAD calls silence.
 */
export async function planSpeechChunks(path: string, info: WavInfo, options: ChunkPlanOptions): Promise<SpeechChunk[]> {
  const parts = Math.max(1, Math.min(options.parts, Math.floor(info.durationS / options.minPartS)));
  const cuts: { atS: number; decodeFromS: number }[] = [];
  if (parts > 1) {
    const file = await open(path, 'r');
    try {
      for (let k = 1; k < parts; k++) {
        const target = (info.durationS * k) / parts;
        const fromS = Math.max(0, target - options.searchS);
        const around = await readSamples(file, info, fromS, Math.min(info.durationS, target + options.searchS));
        const quietest = quietestWindow(around, info.sampleRate, options.windowS);
        const atS = fromS + quietest.centreS;
        const backS = Math.max(0, atS - options.maxWarmupS);
        const before = await readSamples(file, info, backS, atS);
        // The pause cut in is this recording's noise floor: speech stands well above it.
        const utterance = lastUtterance(before, info.sampleRate, options.windowS, quietest.energy);
        const warmupS = utterance === null ? atS - backS : Math.max(utterance.startS, utterance.endS - options.maxWarmupUtteranceS);
        cuts.push({ atS, decodeFromS: backS + warmupS });
      }
    } finally {
      await file.close();
    }
  }
  const bounds = [{ atS: 0, decodeFromS: 0 }, ...cuts];
  return bounds.map((cut, i) => {
    const last = i === bounds.length - 1;
    const endS = last ? info.durationS : bounds[i + 1].atS;
    const start = info.dataOffset + secondsToBytes(cut.decodeFromS, info);
    const end = last ? info.dataOffset + info.dataBytes - 1 : info.dataOffset + secondsToBytes(endS, info) - 1;
    return { startS: cut.atS, endS, decodeFromS: cut.decodeFromS, range: { start, end } };
  });
}

/** The lowest-energy window of `samples`: its centre in seconds from their start, and its mean square. */
export function quietestWindow(samples: Int16Array, sampleRate: number, windowS: number): { centreS: number; energy: number } {
  const energies = windowEnergies(samples, sampleRate, windowS);
  if (!energies.length) return { centreS: samples.length / 2 / sampleRate, energy: 0 };
  const energy = Math.min(...energies);
  return { centreS: (energies.indexOf(energy) + 0.5) * windowS, energy };
}

/**
 * The last burst of speech in `samples` (seconds from their start; its start a little early, so
 * its onset is whole), or null when there is none: windows well over the noise floor's mean
 * square (`floor`) for a few windows in a row.
 */
export function lastUtterance(samples: Int16Array, sampleRate: number, windowS: number, floor: number): { startS: number; endS: number } | null {
  const energies = windowEnergies(samples, sampleRate, windowS);
  const loud = energies.map((e) => e >= Math.max(1, floor) * SPEECH_OVER_FLOOR);
  let end = loud.lastIndexOf(true);
  while (end >= 0) {
    let start = end;
    while (start > 0 && loud[start - 1]) start--;
    if (end - start + 1 >= SPEECH_MIN_WINDOWS) return { startS: Math.max(0, (start - 3) * windowS), endS: (end + 1) * windowS };
    end = loud.lastIndexOf(true, start - 1);
  }
  return null;
}

/** Mean square of each whole window. */
function windowEnergies(samples: Int16Array, sampleRate: number, windowS: number): number[] {
  const size = Math.max(1, Math.round(sampleRate * windowS));
  const out: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size) {
    let energy = 0;
    for (let i = start; i < start + size; i++) energy += samples[i] * samples[i];
    out.push(energy / size);
  }
  return out;
}

async function readSamples(file: FileHandle, info: WavInfo, fromS: number, toS: number): Promise<Int16Array> {
  const bytes = Buffer.alloc(Math.max(0, secondsToBytes(toS - fromS, info)));
  const { bytesRead } = await file.read(bytes, 0, bytes.length, info.dataOffset + secondsToBytes(fromS, info));
  const whole = bytesRead - (bytesRead % 2);
  return new Int16Array(bytes.buffer, bytes.byteOffset, whole / 2);
}

/** Whole sample frames only, so a cut never splits a sample. */
function secondsToBytes(seconds: number, info: WavInfo): number {
  const frameBytes = (info.bitsPerSample / 8) * info.channels;
  return Math.round(seconds * info.sampleRate) * frameBytes;
}
