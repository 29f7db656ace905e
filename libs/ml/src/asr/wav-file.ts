import { open, type FileHandle } from 'node:fs/promises';

/** What a WAV file's header says, and where its samples are. */
export interface WavInfo {
  /** 1: integer PCM, 3: IEEE float (WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format). */
  format: 1 | 3;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of sample data (clamped to the file's size: streamed WAVs write a placeholder length). */
  dataBytes: number;
  durationS: number;
  fileBytes: number;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

/** Speech engines read 16 kHz mono: the audio extraction stage writes exactly that. */
export const SPEECH_SAMPLE_RATE = 16000;

const headerProbeBytes = 64 * 1024;

/**
 * Reads the RIFF header only (any chunk order: ffmpeg writes a LIST chunk before `data`, so the
 * samples do not always start at byte 44).
 */
export async function readWavInfo(path: string): Promise<WavInfo> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    return parseWavHeader(await readAt(file, 0, Math.min(size, headerProbeBytes)), size, path);
  } finally {
    await file.close();
  }
}

/** Parses a RIFF/WAVE header from the first bytes of a file of `fileSize` bytes. */
export function parseWavHeader(head: Buffer, fileSize: number, label = 'input'): WavInfo {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    throw new WavFormatError(`${label} is not a WAV file (no RIFF/WAVE header)`);
  }
  let fmt: WavFormat | null = null;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + 16 > head.length) break;
      fmt = readFmtChunk(head, body, size, label);
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError(`${label}: WAV data chunk comes before its fmt chunk`);
      const dataBytes = Math.min(size, fileSize - body);
      const frameBytes = (fmt.bitsPerSample / 8) * fmt.channels;
      return { ...fmt, dataOffset: body, dataBytes, durationS: Math.floor(dataBytes / frameBytes) / fmt.sampleRate, fileBytes: fileSize };
    }
    offset = body + size + (size % 2);
  }
  throw new WavFormatError(`${label}: WAV header has no ${fmt ? 'data' : 'fmt'} chunk in its first ${head.length} bytes`);
}

type WavFormat = Pick<WavInfo, 'format' | 'sampleRate' | 'channels' | 'bitsPerSample'>;

function readFmtChunk(head: Buffer, at: number, size: number, label: string): WavFormat {
  let tag = head.readUInt16LE(at);
  const channels = head.readUInt16LE(at + 2);
  const sampleRate = head.readUInt32LE(at + 4);
  const bitsPerSample = head.readUInt16LE(at + 14);
  // WAVE_FORMAT_EXTENSIBLE: the real format tag is the first two bytes of the sub-format GUID.
  if (tag === 0xfffe && size >= 40 && at + 26 <= head.length) tag = head.readUInt16LE(at + 24);
  if (channels < 1) throw new WavFormatError(`${label}: WAV has no channels`);
  if (tag === 1 && (bitsPerSample === 8 || bitsPerSample === 16 || bitsPerSample === 24 || bitsPerSample === 32)) {
    return { format: 1, sampleRate, channels, bitsPerSample };
  }
  if (tag === 3 && (bitsPerSample === 32 || bitsPerSample === 64)) return { format: 3, sampleRate, channels, bitsPerSample };
  throw new WavFormatError(`${label}: unsupported WAV encoding (format tag ${tag}, ${bitsPerSample} bits); expected PCM or IEEE float`);
}

/** Fails unless the WAV is what the speech engines take: 16 kHz mono 16-bit PCM. */
export function assertSpeechWav(info: WavInfo, label: string): void {
  if (info.format !== 1 || info.bitsPerSample !== 16 || info.channels !== 1 || info.sampleRate !== SPEECH_SAMPLE_RATE) {
    const encoding = info.format === 3 ? `${info.bitsPerSample}-bit float` : `${info.bitsPerSample}-bit PCM`;
    throw new WavFormatError(`${label}: expected 16 kHz mono 16-bit PCM WAV, got ${info.sampleRate} Hz, ${info.channels} channel(s), ${encoding}`);
  }
}

/**
 * The whole file as mono float samples in [-1, 1] at its own rate (channels are averaged). Whisper
 * needs the full signal in memory anyway; 10 minutes at 16 kHz is 38 MB as Float32.
 */
export async function readWavSamples(path: string): Promise<{ info: WavInfo; samples: Float32Array }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const info = parseWavHeader(await readAt(file, 0, Math.min(size, headerProbeBytes)), size, path);
    const bytesPerSample = info.bitsPerSample / 8;
    const frameBytes = bytesPerSample * info.channels;
    const frames = Math.floor(info.dataBytes / frameBytes);
    const samples = new Float32Array(frames);
    const framesPerRead = 64 * 1024;
    for (let first = 0; first < frames; first += framesPerRead) {
      const count = Math.min(framesPerRead, frames - first);
      const bytes = await readAt(file, info.dataOffset + first * frameBytes, count * frameBytes);
      for (let f = 0; f < count; f++) {
        let sum = 0;
        for (let c = 0; c < info.channels; c++) sum += sampleAt(bytes, (f * info.channels + c) * bytesPerSample, info);
        samples[first + f] = sum / info.channels;
      }
    }
    return { info, samples };
  } finally {
    await file.close();
  }
}

function sampleAt(bytes: Buffer, at: number, info: WavInfo): number {
  if (info.format === 3) return info.bitsPerSample === 32 ? bytes.readFloatLE(at) : bytes.readDoubleLE(at);
  switch (info.bitsPerSample) {
    case 8:
      return (bytes[at] - 128) / 128;
    case 16:
      return bytes.readInt16LE(at) / 32768;
    case 24:
      return bytes.readIntLE(at, 3) / 8388608;
    default:
      return bytes.readInt32LE(at) / 2147483648;
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** A canonical 44-byte-header WAV of 16-bit mono PCM samples (what the speech engines read). */
export function pcm16MonoWav(samples: Int16Array, sampleRate: number = SPEECH_SAMPLE_RATE): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}
