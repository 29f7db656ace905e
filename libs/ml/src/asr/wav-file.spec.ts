import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSpeechWav, parseWavHeader, readWavInfo, readWavSamples, WavFormatError } from './wav-file';

const dir = mkdtempSync(join(tmpdir(), 'heimdex-wav-'));

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function fmt(tag: number, channels: number, rate: number, bits: number, extensibleTag?: number): Buffer {
  const body = Buffer.alloc(extensibleTag === undefined ? 16 : 40);
  body.writeUInt16LE(tag, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(rate, 4);
  body.writeUInt32LE((rate * channels * bits) / 8, 8);
  body.writeUInt16LE((channels * bits) / 8, 12);
  body.writeUInt16LE(bits, 14);
  if (extensibleTag !== undefined) {
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(extensibleTag, 24);
  }
  return chunk('fmt ', body);
}

function wav(chunks: Buffer[], riffSize?: number): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(riffSize ?? body.length, 4);
  return Buffer.concat([head, body]);
}

function int16(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeInt16LE(v, i * 2));
  return b;
}

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('WAV header', () => {
  it('finds the samples of a canonical 44-byte header', async () => {
    const path = file('plain.wav', wav([fmt(1, 1, 16000, 16), chunk('data', int16([0, 1, 2, 3]))]));
    expect(await readWavInfo(path)).toEqual({
      format: 1,
      sampleRate: 16000,
      channels: 1,
      bitsPerSample: 16,
      dataOffset: 44,
      dataBytes: 8,
      durationS: 4 / 16000,
      fileBytes: 52,
    });
  });

  it('skips a LIST chunk before the data (what ffmpeg writes)', async () => {
    const list = chunk('LIST', Buffer.from('INFOISFT\x0e\x00\x00\x00Lavf58.29.100\x00', 'latin1'));
    const path = file('ffmpeg.wav', wav([fmt(1, 1, 16000, 16), list, chunk('data', int16([5, 6]))]));
    const info = await readWavInfo(path);
    expect(info.dataOffset).toBe(44 + list.length);
    expect(info.dataBytes).toBe(4);
  });

  it('clamps the placeholder length of a streamed WAV to the bytes really there', () => {
    const head = wav([fmt(1, 1, 16000, 16), chunk('data', int16([1, 2, 3]))]);
    head.writeUInt32LE(0xffffffff, 40);
    expect(parseWavHeader(head, head.length).dataBytes).toBe(6);
  });

  it('resolves WAVE_FORMAT_EXTENSIBLE to its sub-format', () => {
    const head = wav([fmt(0xfffe, 2, 48000, 32, 3), chunk('data', Buffer.alloc(16))]);
    expect(parseWavHeader(head, head.length)).toMatchObject({ format: 3, channels: 2, sampleRate: 48000, bitsPerSample: 32 });
  });

  it('rejects a file that is not RIFF/WAVE, naming it', async () => {
    const path = file('clip.mp4', Buffer.from('\x00\x00\x00\x18ftypmp42 not a wav at all', 'latin1'));
    await expect(readWavInfo(path)).rejects.toThrow(new WavFormatError(`${path} is not a WAV file (no RIFF/WAVE header)`));
  });

  it('rejects compressed WAVs and headers without a data chunk', () => {
    const mulaw = wav([fmt(7, 1, 8000, 8), chunk('data', Buffer.alloc(4))]);
    expect(() => parseWavHeader(mulaw, mulaw.length)).toThrow(/unsupported WAV encoding \(format tag 7/);
    const noData = wav([fmt(1, 1, 16000, 16)]);
    expect(() => parseWavHeader(noData, noData.length)).toThrow(/no data chunk/);
  });

  it('accepts only 16 kHz mono 16-bit PCM for the speech engines', () => {
    const ok = parseWavHeader(wav([fmt(1, 1, 16000, 16), chunk('data', Buffer.alloc(2))]), 46);
    expect(() => assertSpeechWav(ok, 'a.wav')).not.toThrow();
    const stereo = parseWavHeader(wav([fmt(1, 2, 44100, 16), chunk('data', Buffer.alloc(4))]), 48);
    expect(() => assertSpeechWav(stereo, 'b.wav')).toThrow('b.wav: expected 16 kHz mono 16-bit PCM WAV, got 44100 Hz, 2 channel(s), 16-bit PCM');
  });
});

describe('WAV samples', () => {
  it('reads 16-bit PCM as floats in [-1, 1]', async () => {
    const path = file('pcm16.wav', wav([fmt(1, 1, 16000, 16), chunk('data', int16([0, 16384, -32768, 32767]))]));
    const { samples } = await readWavSamples(path);
    expect(Array.from(samples)).toEqual([0, 0.5, -1, 32767 / 32768]);
  });

  it('averages channels and reads float and 8-bit data', async () => {
    const floats = Buffer.alloc(16);
    [0.5, -0.5, 1, 0].forEach((v, i) => floats.writeFloatLE(v, i * 4));
    const stereo = file('float.wav', wav([fmt(3, 2, 16000, 32), chunk('data', floats)]));
    expect(Array.from((await readWavSamples(stereo)).samples)).toEqual([0, 0.5]);
    const eight = file('u8.wav', wav([fmt(1, 1, 16000, 8), chunk('data', Buffer.from([128, 255, 0]))]));
    expect(Array.from((await readWavSamples(eight)).samples)).toEqual([0, 127 / 128, -1]);
  });

  it('reads across its internal block boundary', async () => {
    const values = Array.from({ length: 70000 }, (_, i) => (i % 200) - 100);
    const path = file('long.wav', wav([fmt(1, 1, 16000, 16), chunk('data', int16(values))]));
    const { samples, info } = await readWavSamples(path);
    expect(samples.length).toBe(70000);
    expect(info.durationS).toBeCloseTo(70000 / 16000, 9);
    expect(samples[65535]).toBeCloseTo(values[65535] / 32768, 9);
    expect(samples[65536]).toBeCloseTo(values[65536] / 32768, 9);
    expect(samples[69999]).toBeCloseTo(values[69999] / 32768, 9);
  });
});
