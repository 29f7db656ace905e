import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CHUNK_PLAN, lastUtterance, planSpeechChunks, quietestWindow } from './speech-chunks';
import { pcm16MonoWav, readWavInfo } from './wav-file';

const RATE = 16000;

/** 16 kHz mono 16-bit WAV: a loud tone everywhere except the silent spans given. */
function wav(seconds: number, silences: [number, number][]): string {
  const samples = new Int16Array(seconds * RATE);
  for (let i = 0; i < samples.length; i++) {
    const t = i / RATE;
    samples[i] = silences.some(([a, b]) => t >= a && t < b) ? 0 : Math.round(8000 * Math.sin(2 * Math.PI * 220 * t));
  }
  const path = join(mkdtempSync(join(tmpdir(), 'heimdex-chunks-')), 'a.wav');
  writeFileSync(path, pcm16MonoWav(samples, RATE));
  return path;
}

const plan = DEFAULT_CHUNK_PLAN;

describe('quietestWindow', () => {
  it('finds the silent window', () => {
    const s = new Int16Array(RATE);
    s.fill(1000);
    s.fill(0, 6400, 8000); // 0.4-0.5 s
    expect(quietestWindow(s, RATE, 0.1)).toEqual({ centreS: expect.closeTo(0.45, 5), energy: 0 });
  });
});

describe('lastUtterance', () => {
  it('finds the last burst well above the noise floor, ignoring clicks', () => {
    // floor 900 = 30²: the constant background below
    const s = new Int16Array(5 * RATE).fill(30);
    s.fill(5000, 1 * RATE, 2 * RATE);
    s.fill(5000, 3 * RATE, 3.5 * RATE);
    s.fill(5000, 4.5 * RATE, 4.5 * RATE + 800); // 50 ms: a click, not speech
    expect(lastUtterance(s, RATE, 0.1, 900)).toEqual({ startS: expect.closeTo(2.7, 5), endS: expect.closeTo(3.5, 5) });
    expect(lastUtterance(new Int16Array(RATE).fill(30), RATE, 0.1, 900)).toBeNull();
  });
});

describe('planSpeechChunks', () => {
  it('keeps a short file whole', async () => {
    const path = wav(40, []);
    const info = await readWavInfo(path);
    expect(await planSpeechChunks(path, info, { ...plan, parts: 2 })).toEqual([
      { startS: 0, endS: 40, decodeFromS: 0, range: { start: 44, end: 44 + 40 * RATE * 2 - 1 } },
    ]);
  });

  it('cuts at the pause nearest each even split; a part is decoded from the end of the utterance before it', async () => {
    // Even splits of 90 s in three: 30 s and 60 s; pauses at 28.2-28.5 s and 61.0-61.3 s, sound elsewhere.
    const path = wav(90, [
      [28.2, 28.5],
      [61.0, 61.3],
    ]);
    const info = await readWavInfo(path);
    const chunks = await planSpeechChunks(path, info, { ...plan, parts: 3 });
    expect(chunks.map((c) => [c.startS, c.endS])).toEqual([
      [0, expect.closeTo(28.25, 2)],
      [expect.closeTo(28.25, 2), expect.closeTo(61.05, 2)],
      [expect.closeTo(61.05, 2), 90],
    ]);
    // The sound before each cut is one long utterance: only its last 10 s are decoded again.
    expect(chunks.map((c) => c.decodeFromS)).toEqual([0, expect.closeTo(18.2, 2), expect.closeTo(51.0, 2)]);
    const byteAt = (s: number) => info.dataOffset + Math.round(s * RATE) * 2;
    expect(chunks.map((c) => c.range.start)).toEqual(chunks.map((c) => byteAt(c.decodeFromS)));
    expect(chunks[0].range.end).toBe(byteAt(chunks[1].startS) - 1);
    expect(chunks[1].range.end).toBe(byteAt(chunks[2].startS) - 1);
    expect(chunks[2].range.end).toBe(info.dataOffset + info.dataBytes - 1);
  });

  it('reaches back over a long silence to the last utterance, and no further than maxWarmupS', async () => {
    // Sound only at 5-7 s and 70-100 s; the even split of 100 s is at 50 s, in the silence.
    const path = wav(100, [
      [0, 5],
      [7, 70],
    ]);
    const info = await readWavInfo(path);
    const [, second] = await planSpeechChunks(path, info, { ...plan, parts: 2 });
    expect(second.startS).toBeGreaterThan(46);
    expect(second.decodeFromS).toBeCloseTo(4.7, 2);
    // No utterance within reach: decoding silence would not help, the part starts at its cut.
    const [, capped] = await planSpeechChunks(path, info, { ...plan, parts: 2, maxWarmupS: 30 });
    expect(capped.decodeFromS).toBe(capped.startS);
  });

  it('never makes a part shorter than the minimum', async () => {
    const path = wav(70, []);
    const info = await readWavInfo(path);
    expect(await planSpeechChunks(path, info, { ...plan, parts: 8 })).toHaveLength(2);
  });
});
