/**
 * `npm run bench:asr [-- --seconds 120 --runs 3]`
 * What speech recognition costs per second of audio, side by side in one run: a programme of real
 * recordings (the LJ Speech and JFK clips of test/fixtures/realmedia, each followed by a music or
 * ambience clip) decoded by raw pocketsphinx and behind the Silero VAD gate, the gate's regions
 * decoded as one condensed recording (what the pipeline does) or with one decoder process per
 * region (which loads the model once per region), on 1 core or all of them. Medians over `runs`;
 * CPU is this process plus its waited-for children (pocketsphinx), from /proc/self/stat.
 */
import 'reflect-metadata';
import { loadConfig } from '@heimdex/config';
import { extractSpeechWav, resolveFfmpegBinaries } from '@heimdex/media';
import {
  DEFAULT_SPEECH_GATE_OPTIONS,
  findPocketsphinx,
  PocketsphinxEngine,
  pcm16MonoWav,
  readWavSamples,
  SileroVad,
  SpeechGatedAsr,
  totalSeconds,
  type AsrEngine,
  type PocketsphinxInstall,
  type SpeechRegion,
  type TranscriptWord,
} from '@heimdex/ml';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryRoot } from './real-eval/real-eval-set';

const RATE = 16000;
/** Not the worker's 60 s + 2 × the audio: on a shared machine a decoder can run far slower than real time. */
const TIMEOUT_S = 1200;

interface Variant {
  name: string;
  run(wav: string): Promise<TranscriptWord[]>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '120' }, runs: { type: 'string', default: '3' } } });
  const work = mkdtempSync(join(tmpdir(), 'heimdex-bench-asr-'));
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'heimdex' }));
  const config = loadConfig({ rootDir: work, env: { ...process.env, SUPABASE_JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789' } });
  try {
    const install = await findPocketsphinx({ binaryPath: config.ml.pocketsphinxPath, language: 'en' });
    if ('reason' in install) throw new Error(install.reason);
    const programme = await buildProgramme(config.media, work, Number(values.seconds));
    const cores = cpus().length;
    const vad = await SileroVad.load(config.ml.ortThreads);
    const gate = (processes: number) =>
      new SpeechGatedAsr(new PocketsphinxEngine(install, { processes, minTimeoutS: TIMEOUT_S }), vad, DEFAULT_SPEECH_GATE_OPTIONS);

    const { samples } = await readWavSamples(programme.path);
    const vadStart = measureStart();
    const regions = await vad.speechRegions(samples, DEFAULT_SPEECH_GATE_OPTIONS.regions);
    const vadCost = measureEnd(vadStart);

    const variants: Variant[] = [
      {
        name: 'raw pocketsphinx, whole file, 1 process',
        run: (wav) => wordsOf(new PocketsphinxEngine(install, { processes: 1, minTimeoutS: TIMEOUT_S }), wav),
      },
      {
        name: `raw pocketsphinx, whole file, ${cores} processes`,
        run: (wav) => wordsOf(new PocketsphinxEngine(install, { processes: cores, minTimeoutS: TIMEOUT_S }), wav),
      },
      { name: 'VAD + condensed regions, 1 process', run: (wav) => wordsOf(gate(1), wav) },
      { name: `VAD + condensed regions, ${cores} processes`, run: (wav) => wordsOf(gate(cores), wav) },
      { name: 'VAD + one process per region, 1 at a time', run: (wav) => perRegion(install, vad, wav, work, 1) },
      { name: `VAD + one process per region, ${cores} at a time`, run: (wav) => perRegion(install, vad, wav, work, cores) },
    ];
    const results = variants.map(() => ({ wall: [] as number[], cpu: [] as number[], words: 0 }));
    for (let run = 0; run < Number(values.runs); run++) {
      for (const [i, v] of variants.entries()) {
        const start = measureStart();
        const words = await v.run(programme.path);
        const cost = measureEnd(start);
        results[i].wall.push(cost.wallS);
        results[i].cpu.push(cost.cpuS);
        results[i].words = words.length;
      }
    }

    console.log(
      `\nprogramme: ${programme.durationS.toFixed(1)} s (${programme.speechS.toFixed(1)} s read speech in ${programme.clips} clips, the rest music/ambience); ` +
        `VAD kept ${regions.length} regions, ${totalSeconds(regions).toFixed(1)} s; ${cores} cores; ${values.runs} runs, medians\n`,
    );
    console.log(
      `Silero VAD alone: wall ${vadCost.wallS.toFixed(2)} s, CPU ${vadCost.cpuS.toFixed(2)} s (${(vadCost.wallS / programme.durationS).toFixed(3)} s per audio s)`,
    );
    console.log('variant (VAD included where used)                 wall s   CPU s   wall/audio s   CPU/audio s   words');
    for (const [i, v] of variants.entries()) {
      const wall = median(results[i].wall);
      const cpu = median(results[i].cpu);
      console.log(
        `${v.name.padEnd(48)} ${wall.toFixed(2).padStart(7)} ${cpu.toFixed(2).padStart(7)} ${(wall / programme.durationS).toFixed(3).padStart(14)} ${(cpu / programme.durationS).toFixed(3).padStart(13)} ${String(results[i].words).padStart(7)}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Speech clips (LJ Speech, JFK), each followed by a music clip, as one 16 kHz WAV of about `seconds`. */
async function buildProgramme(
  media: Parameters<typeof resolveFfmpegBinaries>[0],
  work: string,
  seconds: number,
): Promise<{ path: string; durationS: number; speechS: number; clips: number }> {
  const fixtures = join(repositoryRoot(), 'test', 'fixtures', 'realmedia');
  const list = (dir: string) =>
    readdirSync(join(fixtures, dir))
      .filter((f) => /\.(wav|flac)$/.test(f))
      .sort()
      .map((f) => join(fixtures, dir, f));
  const speech = [...list('speech'), ...list('speech-heldout')];
  const music = [...list('music'), ...list('music-heldout')];
  const ffmpeg = resolveFfmpegBinaries(media);
  const parts: Float32Array[] = [];
  let total = 0;
  let speechS = 0;
  let clips = 0;
  for (let i = 0; total < seconds * RATE && i < speech.length; i++) {
    for (const [file, isSpeech] of [
      [speech[i], true],
      [music[i % music.length], false],
    ] as const) {
      const wav = join(work, `clip-${i}-${isSpeech ? 's' : 'm'}.wav`);
      await extractSpeechWav(ffmpeg, file, wav);
      const { samples } = await readWavSamples(wav);
      parts.push(samples);
      total += samples.length;
      if (isSpeech) {
        speechS += samples.length / RATE;
        clips++;
      }
    }
  }
  const out = new Int16Array(total);
  let at = 0;
  for (const p of parts) for (const x of p) out[at++] = Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
  const path = join(work, 'programme.wav');
  await writeFile(path, pcm16MonoWav(out, RATE));
  return { path, durationS: total / RATE, speechS, clips };
}

async function wordsOf(engine: AsrEngine, wav: string): Promise<TranscriptWord[]> {
  return (await engine.transcribe(wav, { language: 'en' })).segments.flatMap((s) => s.words);
}

/** The gate's regions each written to a WAV and decoded by a pocketsphinx process of its own, `parallel` at a time. */
async function perRegion(install: PocketsphinxInstall, vad: SileroVad, wav: string, work: string, parallel: number): Promise<TranscriptWord[]> {
  const { samples } = await readWavSamples(wav);
  const regions = await vad.speechRegions(samples, DEFAULT_SPEECH_GATE_OPTIONS.regions);
  const engine = new PocketsphinxEngine(install, { processes: 1, minTimeoutS: TIMEOUT_S });
  const words: TranscriptWord[][] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < regions.length) {
      const k = next++;
      words[k] = await decodeRegion(engine, samples, regions[k], join(work, `region-${k}.wav`));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return words.flat();
}

async function decodeRegion(engine: AsrEngine, samples: Float32Array, region: SpeechRegion, path: string): Promise<TranscriptWord[]> {
  const piece = samples.subarray(Math.round(region.startS * RATE), Math.round(region.endS * RATE));
  await writeFile(
    path,
    pcm16MonoWav(
      Int16Array.from(piece, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32767)))),
      RATE,
    ),
  );
  return wordsOf(engine, path);
}

/** CPU seconds of this process and of its children that have exited and been waited for (Linux). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ": state is field 0, cutime 13 and cstime 14, in clock ticks (100 per second on Linux).
  const children = (Number(fields[13]) + Number(fields[14])) / 100;
  return (own.user + own.system) / 1e6 + children;
}

function measureStart(): { t: number; cpu: number } {
  return { t: performance.now(), cpu: cpuSeconds() };
}

function measureEnd(start: { t: number; cpu: number }): { wallS: number; cpuS: number } {
  return { wallS: (performance.now() - start.t) / 1000, cpuS: cpuSeconds() - start.cpu };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
