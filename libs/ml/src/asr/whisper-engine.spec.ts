import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipelineOutput } from './transformers-whisper-runner';
import { WhisperEngine, type WhisperRunner, type WhisperTimestamps, WordTimestampsUnsupportedError } from './whisper-engine';
import type { WhisperChunk } from './whisper-transcript';
import { pcm16MonoWav } from './wav-file';

const dir = mkdtempSync(join(tmpdir(), 'heimdex-whisper-'));
const model = { name: 'whisper-test', version: '1' };

function writeWav(name: string, samples: number[], rate = 16000): string {
  const path = join(dir, name);
  writeFileSync(path, pcm16MonoWav(Int16Array.from(samples), rate));
  return path;
}

interface Call {
  samples: number;
  language: string | null;
  timestamps: WhisperTimestamps;
}

/** Stands in for transformers.js: records what it is asked and answers with fixed chunks. */
class FakeRunner implements WhisperRunner {
  calls: Call[] = [];
  detections = 0;
  constructor(
    readonly multilingual: boolean,
    private readonly answer: { words: WhisperChunk[]; phrases?: WhisperChunk[]; wordsUnsupported?: boolean; detected?: string | null },
  ) {}

  async transcribe(audio: Float32Array, options: { language: string | null; timestamps: WhisperTimestamps }) {
    this.calls.push({ samples: audio.length, ...options });
    if (options.timestamps === 'word' && this.answer.wordsUnsupported) throw new WordTimestampsUnsupportedError('no alignment_heads');
    const chunks = options.timestamps === 'word' ? this.answer.words : (this.answer.phrases ?? []);
    return { text: chunks.map((c) => c.text).join(''), chunks };
  }

  async detectLanguage(): Promise<string | null> {
    this.detections++;
    return this.answer.detected ?? null;
  }

  async dispose(): Promise<void> {}
}

const words: WhisperChunk[] = [
  { text: ' Hello', timestamp: [0.1, 0.4] },
  { text: ' world.', timestamp: [0.4, 0.9] },
];
const oneSecond = writeWav(
  'one-second.wav',
  Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin(i / 10))),
);

describe('WhisperEngine', () => {
  it('gives the whole file to the runner and maps its words to a transcript', async () => {
    const runner = new FakeRunner(false, { words });
    const transcript = await new WhisperEngine(model, runner).transcribe(oneSecond, { language: null });
    expect(runner.calls).toEqual([{ samples: 16000, language: null, timestamps: 'word' }]);
    expect(transcript).toEqual({
      language: 'en',
      segments: [
        {
          startS: 0.1,
          endS: 0.9,
          text: 'Hello world.',
          words: [
            { word: 'Hello', startS: 0.1, endS: 0.4, confidence: null },
            { word: 'world', startS: 0.4, endS: 0.9, confidence: null },
          ],
        },
      ],
    });
  });

  it('uses the configured language on a multilingual model without detecting', async () => {
    const runner = new FakeRunner(true, { words, detected: 'de' });
    const transcript = await new WhisperEngine(model, runner).transcribe(oneSecond, { language: 'fr' });
    expect(runner.detections).toBe(0);
    expect(runner.calls[0].language).toBe('fr');
    expect(transcript.language).toBe('fr');
  });

  it('detects the language on a multilingual model when none is configured', async () => {
    const runner = new FakeRunner(true, { words, detected: 'de' });
    const transcript = await new WhisperEngine(model, runner).transcribe(oneSecond, { language: null });
    expect(runner.detections).toBe(1);
    expect(runner.calls[0].language).toBe('de');
    expect(transcript.language).toBe('de');
  });

  it('refuses another language on an English-only model', async () => {
    const runner = new FakeRunner(false, { words });
    await expect(new WhisperEngine(model, runner).transcribe(oneSecond, { language: 'fr' })).rejects.toThrow(
      'whisper-test is an English-only Whisper model; it cannot transcribe fr',
    );
    expect(runner.calls).toEqual([]);
  });

  it('falls back to phrase timestamps, once, for a model without alignment heads', async () => {
    const phrases: WhisperChunk[] = [{ text: ' Hello world.', timestamp: [0.1, 0.9] }];
    const runner = new FakeRunner(false, { words, phrases, wordsUnsupported: true });
    const engine = new WhisperEngine(model, runner);
    const first = await engine.transcribe(oneSecond, { language: null });
    expect(first.segments).toEqual([{ startS: 0.1, endS: 0.9, text: 'Hello world.', words: [] }]);
    await engine.transcribe(oneSecond, { language: null });
    expect(runner.calls.map((c) => c.timestamps)).toEqual(['word', 'segment', 'segment']);
  });

  it('rejects audio that is not 16 kHz, and empty audio gives an empty transcript without running the model', async () => {
    const runner = new FakeRunner(false, { words });
    const engine = new WhisperEngine(model, runner);
    await expect(engine.transcribe(writeWav('44k.wav', [0, 0, 0], 44100), { language: null })).rejects.toThrow(/Whisper needs 16 kHz audio, got 44100 Hz/);
    expect(await engine.transcribe(writeWav('empty.wav', []), { language: null })).toEqual({ language: 'en', segments: [] });
    expect(runner.calls).toEqual([]);
  });
});

describe('transformers.js pipeline output', () => {
  it('is checked and narrowed to text and chunks', () => {
    expect(pipelineOutput({ text: ' Hi', chunks: [{ text: ' Hi', timestamp: [0, null] }] })).toEqual({
      text: ' Hi',
      chunks: [{ text: ' Hi', timestamp: [0, null] }],
    });
    expect(pipelineOutput({ text: '' })).toEqual({ text: '', chunks: [] });
    expect(() => pipelineOutput([])).toThrow('Whisper pipeline returned no text');
    expect(() => pipelineOutput({ text: 'x', chunks: [{ text: 'x' }] })).toThrow('malformed chunk at 0');
  });
});
