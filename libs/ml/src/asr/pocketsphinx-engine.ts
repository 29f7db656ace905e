import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { AsrEngine, ModelInfo, Transcript, TranscriptSegment } from '../engine-types';
import type { PocketsphinxInstall } from './pocketsphinx-install';
import { createPocketsphinxParser } from './pocketsphinx-output';
import { DEFAULT_CHUNK_PLAN, planSpeechChunks, type SpeechChunk } from './speech-chunks';
import { assertSpeechWav, readWavInfo, type WavInfo } from './wav-file';

export interface PocketsphinxEngineOptions {
  /** The run is killed after minTimeoutS + timeoutPerAudioS × the audio's length. */
  minTimeoutS?: number;
  timeoutPerAudioS?: number;
  /**
   * Decoder processes per file. pocketsphinx uses one core; a long file is cut at pauses into this
   * many parts (each at least 30 s) decoded side by side, their word times shifted back.
   */
  processes?: number;
}

/** Lines of stderr kept for error messages: the decoder logs thousands of INFO lines on long files. */
const stderrTailLines = 20;

/**
 * Speech to text with CMU pocketsphinx, run as a child process whose stdout is parsed line by line,
 * so long files are never held in memory.
 *
 * How the samples get in depends on the CLI. `pocketsphinx live -` reads stdin: the WAV's data
 * chunk is streamed to it. `pocketsphinx_continuous` only reads a named file, and for `.wav` names
 * assumes a 44-byte header; ffmpeg's WAVs carry a LIST chunk before `data`, so for those the
 * samples are first copied (streamed) to a headerless temp file. Its `-infile /dev/stdin` cannot be
 * used: Node gives children a socket, not a pipe, as stdin, and opening /dev/stdin on a socket fails.
 *
 * A decoder uses one core. A long file is cut at pauses into `processes` parts (speech-chunks.ts),
 * decoded side by side, each part's samples streamed to it as above.
 */
export class PocketsphinxEngine implements AsrEngine {
  readonly model: ModelInfo;
  private readonly minTimeoutS: number;
  private readonly timeoutPerAudioS: number;
  private readonly processes: number;

  constructor(
    private readonly install: PocketsphinxInstall,
    options: PocketsphinxEngineOptions = {},
  ) {
    this.model = { name: `pocketsphinx-${install.model.code}`, version: install.version };
    this.minTimeoutS = options.minTimeoutS ?? 60;
    this.timeoutPerAudioS = options.timeoutPerAudioS ?? 2;
    this.processes = options.processes ?? 1;
  }

  async transcribe(wavPath: string, options: { language: string | null }): Promise<Transcript> {
    const { model } = this.install;
    if (options.language !== null && options.language !== model.language) {
      throw new Error(`pocketsphinx model ${model.code} transcribes ${model.language}, not ${options.language}`);
    }
    const info = await readWavInfo(wavPath);
    assertSpeechWav(info, wavPath);
    const chunks = await planSpeechChunks(wavPath, info, { ...DEFAULT_CHUNK_PLAN, parts: this.processes });
    const work = await mkdtemp(join(tmpdir(), 'heimdex-pocketsphinx-'));
    // One part failing stops the others: a retry must not find the last attempt's decoders still running.
    const stop = new AbortController();
    try {
      const parts = await Promise.all(
        chunks.map((chunk, i) =>
          this.decodeChunk(wavPath, info, chunk, join(work, `part-${i}.raw`), stop.signal).catch((err: unknown) => {
            stop.abort();
            throw err;
          }),
        ),
      );
      return { language: model.language, segments: parts.flat() };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** One part's segments, with times from the start of the file. */
  private async decodeChunk(wavPath: string, info: WavInfo, chunk: SpeechChunk, rawPath: string, signal: AbortSignal): Promise<TranscriptSegment[]> {
    const timeoutS = this.minTimeoutS + this.timeoutPerAudioS * (chunk.endS - chunk.decodeFromS);
    const whole = chunk.range.start === info.dataOffset && chunk.range.end === info.dataOffset + info.dataBytes - 1;
    let segments: TranscriptSegment[];
    if (this.install.format === 'json') {
      segments = await this.decode(wavPath, { stdin: chunk.range }, timeoutS, signal);
    } else if (whole && info.dataOffset === 44 && info.dataOffset + info.dataBytes === info.fileBytes && wavPath.endsWith('.wav')) {
      segments = await this.decode(wavPath, { file: wavPath }, timeoutS, signal);
    } else {
      await pipeline(createReadStream(wavPath, chunk.range), createWriteStream(rawPath), { signal });
      segments = await this.decode(wavPath, { file: rawPath }, timeoutS, signal);
    }
    return chunk.decodeFromS === 0
      ? segments
      : wordsFrom(
          segments.map((s) => shiftSegment(s, chunk.decodeFromS)),
          chunk.startS,
        );
  }

  /** `input`: a byte range of samples on stdin for `pocketsphinx live`; a canonical WAV or headerless samples for pocketsphinx_continuous. */
  private decode(
    wavPath: string,
    input: { stdin: { start: number; end: number } } | { file: string },
    timeoutS: number,
    signal: AbortSignal,
  ): Promise<TranscriptSegment[]> {
    const { binary, format, model } = this.install;
    const modelArgs = ['-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict, '-samprate', '16000'];
    const args = 'file' in input ? [...modelArgs, '-infile', input.file, '-time', 'yes'] : [...modelArgs, 'live', '-'];
    const parser = createPocketsphinxParser(format);

    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const stderr = new StderrTail();
      let failure: Error | null = null;
      const fail = (err: Error): void => {
        failure ??= err;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => fail(new Error(`pocketsphinx timed out after ${Math.round(timeoutS * 10) / 10} s on ${wavPath}`)), timeoutS * 1000);
      const onAbort = (): void => fail(new Error(`another part of ${wavPath} failed`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });

      const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
      lines.on('line', (line) => {
        try {
          parser.push(line);
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
      });
      const stdoutDone = new Promise<void>((done) => lines.once('close', done));
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => stderr.add(chunk));

      // EPIPE when the decoder dies early: its exit status and stderr say why.
      child.stdin.on('error', () => undefined);
      const samples = 'stdin' in input && input.stdin.end >= input.stdin.start ? createReadStream(wavPath, input.stdin) : null;
      if (samples) {
        samples.on('error', (err) => fail(new Error(`reading ${wavPath}: ${err.message}`)));
        samples.pipe(child.stdin);
      } else {
        child.stdin.end();
      }

      child.on('error', (err) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        samples?.destroy();
        reject(new Error(`cannot run ${binary}: ${err.message}`));
      });
      child.on('close', (code, exitSignal) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        samples?.destroy();
        void stdoutDone.then(() => {
          if (failure) return reject(withStderr(failure, stderr));
          if (code !== 0) {
            return reject(withStderr(new Error(`pocketsphinx failed (${exitSignal ? `signal ${exitSignal}` : `exit code ${code}`}) on ${wavPath}`), stderr));
          }
          try {
            resolve(parser.finish());
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
    });
  }
}

/** The segments cut down to the words that start at `fromS` or later (a part's warm-up is dropped). */
function wordsFrom(segments: TranscriptSegment[], fromS: number): TranscriptSegment[] {
  return segments.flatMap((segment) => {
    if (segment.startS >= fromS) return [segment];
    const words = segment.words.filter((w) => w.startS >= fromS);
    if (!words.length) return [];
    return [{ startS: words[0].startS, endS: segment.endS, text: words.map((w) => w.word).join(' '), words }];
  });
}

function shiftSegment(segment: TranscriptSegment, byS: number): TranscriptSegment {
  const at = (t: number) => Math.round((t + byS) * 1000) / 1000;
  return {
    ...segment,
    startS: at(segment.startS),
    endS: at(segment.endS),
    words: segment.words.map((w) => ({ ...w, startS: at(w.startS), endS: at(w.endS) })),
  };
}

function withStderr(err: Error, stderr: StderrTail): Error {
  const text = stderr.summary();
  if (text) err.message += `\n${text}`;
  return err;
}

/** The last lines of stderr, with ERROR/FATAL lines kept even when INFO lines follow them. */
class StderrTail {
  private partial = '';
  private readonly tail: string[] = [];
  private readonly errors: string[] = [];

  add(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.keep(line);
  }

  summary(): string {
    if (this.partial) this.keep(this.partial);
    this.partial = '';
    const shown = this.errors.length > 0 ? this.errors : this.tail;
    return shown.join('\n');
  }

  private keep(line: string): void {
    const text = line.trimEnd();
    if (!text) return;
    if (/^(ERROR|FATAL|FATAL_ERROR|SYSTEM_ERROR)\b/.test(text) && this.errors.length < stderrTailLines) this.errors.push(text);
    this.tail.push(text);
    if (this.tail.length > stderrTailLines) this.tail.shift();
  }
}
