import { resolveFfmpegBinaries } from '@heimdex/media';
import { pcm16MonoWav } from '../../libs/ml/src/asr/wav-file';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Text spoken (by espeak-ng) starting at `atS` seconds. */
export interface SpeechPhrase {
  text: string;
  atS: number;
}

/** Where each phrase's voice actually is in the track: leading/trailing synthesis silence is trimmed, so startS === atS. */
export interface SpokenPhrase extends SpeechPhrase {
  startS: number;
  endS: number;
}

export interface SpeechTrack {
  path: string;
  durationS: number;
  spoken: SpokenPhrase[];
}

/** Defaults: `en-us+m1` at 150 wpm, of the voices tried the one pocketsphinx's en-us model hears best. */
export interface SpeechVoice {
  /** espeak-ng voice, e.g. `en-us`, `en-gb`, `en-us+m3`. */
  voice?: string;
  /** Speaking rate in words per minute (espeak-ng `-s`). */
  wordsPerMinute?: number;
}

const sampleRate = 16000;
const ffmpegPath = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
/** |sample| below this (about -50 dBFS) counts as silence when trimming a synthesised phrase. */
const silenceLevel = 100;
/**
 * Levels measured against pocketsphinx's en-us model (see test/ml/asr.e2e-spec.ts). Real recordings
 * are never digitally silent, and its VAD and noise removal do badly on exact zeros: a -60 dBFS
 * noise floor took espeak phrases from mostly wrong to mostly right (-70 and -50 dBFS did worse).
 * espeak speaks near full scale; at -6 dB the first phrase of a file stopped being misheard (at
 * full scale "hello" was missed in 12 of 21 placements, at -6 dB in none).
 */
const noiseAmplitude = 33;
const speechGain = 0.5;

let espeakChecked: boolean | null = null;

/** True when espeak-ng can be run (apt-get install espeak-ng). */
export function speechAvailable(): boolean {
  if (espeakChecked === null) {
    try {
      execFileSync('espeak-ng', ['--version'], { stdio: 'pipe' });
      espeakChecked = true;
    } catch {
      espeakChecked = false;
    }
  }
  return espeakChecked;
}

/** One phrase as 16 kHz mono samples, with the silence espeak puts around it cut off. */
function synthesize(text: string, voice: SpeechVoice = {}): Int16Array {
  const work = mkdtempSync(join(tmpdir(), 'heimdex-speech-'));
  try {
    const raw = join(work, 'phrase.wav');
    execFileSync('espeak-ng', ['-v', voice.voice ?? 'en-us+m1', '-s', String(voice.wordsPerMinute ?? 150), '-w', raw, '--', text], { stdio: 'pipe' });
    const pcm = execFileSync(ffmpegPath, ['-v', 'error', '-i', raw, '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
    let first = 0;
    while (first < samples.length && Math.abs(samples[first]) < silenceLevel) first++;
    let last = samples.length;
    while (last > first && Math.abs(samples[last - 1]) < silenceLevel) last--;
    return Int16Array.from(samples.subarray(first, last));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A 16 kHz mono 16-bit WAV of `totalS` seconds: each phrase's voice starts at its `atS`, a faint
 * fixed noise floor elsewhere. Deterministic: the same arguments give the same bytes.
 */
export function writeSpeechWav(path: string, phrases: SpeechPhrase[], totalS: number, voice: SpeechVoice = {}): SpeechTrack {
  const track = new Int16Array(Math.round(totalS * sampleRate));
  let seed = 0x2545f491;
  for (let i = 0; i < track.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    track[i] = Math.round(((seed / 0x100000000) * 2 - 1) * noiseAmplitude);
  }
  const spoken: SpokenPhrase[] = [];
  for (const phrase of phrases) {
    const voiceSamples = synthesize(phrase.text, voice);
    const at = Math.round(phrase.atS * sampleRate);
    if (at < 0 || at + voiceSamples.length > track.length) {
      throw new Error(`"${phrase.text}" at ${phrase.atS} s lasts ${(voiceSamples.length / sampleRate).toFixed(2)} s: past the end of a ${totalS} s track`);
    }
    const clash = spoken.find((s) => phrase.atS < s.endS && s.startS < phrase.atS + voiceSamples.length / sampleRate);
    if (clash) throw new Error(`"${phrase.text}" at ${phrase.atS} s overlaps "${clash.text}" (${clash.startS}-${clash.endS.toFixed(2)} s)`);
    for (let i = 0; i < voiceSamples.length; i++) track[at + i] = Math.round(voiceSamples[i] * speechGain);
    spoken.push({ ...phrase, startS: phrase.atS, endS: phrase.atS + voiceSamples.length / sampleRate });
  }
  writeFileSync(path, pcm16MonoWav(track, sampleRate));
  return { path, durationS: track.length / sampleRate, spoken };
}

export interface SpeechVideoOptions extends SpeechVoice {
  /** Times (s) of hard cuts between solid colours; the first shot starts at 0. */
  cutsAtS: number[];
  size?: string;
}

const shotColours = ['red', 'blue', 'green', 'yellow', 'magenta', 'cyan', 'white', 'orange'];

/**
 * An H.264 + AAC MP4 of `totalS` seconds: solid-colour shots with hard cuts at `cutsAtS`, and the
 * speech track of writeSpeechWav as its sound.
 */
export function writeSpeechVideo(path: string, phrases: SpeechPhrase[], totalS: number, options: SpeechVideoOptions): SpeechTrack {
  const bounds = [0, ...options.cutsAtS, totalS];
  for (let i = 1; i < bounds.length; i++) {
    if (!(bounds[i] > bounds[i - 1])) throw new Error(`cuts must increase strictly inside (0, ${totalS}): ${options.cutsAtS.join(', ')}`);
  }
  const work = mkdtempSync(join(tmpdir(), 'heimdex-speech-video-'));
  try {
    const wav = join(work, 'speech.wav');
    const track = writeSpeechWav(wav, phrases, totalS, options);
    const size = options.size ?? '320x240';
    const shots = bounds.slice(1).map((end, i) => `color=c=${shotColours[i % shotColours.length]}:s=${size}:r=25:d=${(end - bounds[i]).toFixed(3)}`);
    const filter = `${shots.map((s, i) => `${s}[v${i}]`).join(';')};${shots.map((_, i) => `[v${i}]`).join('')}concat=n=${shots.length}:v=1:a=0[v]`;
    execFileSync(ffmpegPath, [
      '-y',
      '-v',
      'error',
      '-filter_complex',
      filter,
      '-i',
      wav,
      '-map',
      '[v]',
      '-map',
      '0:a',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '25',
      '-c:a',
      'aac',
      '-t',
      String(totalS),
      '-movflags',
      '+faststart',
      path,
    ]);
    return { ...track, path };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
