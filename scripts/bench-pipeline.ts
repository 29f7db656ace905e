/**
 * `npm run bench:pipeline [-- --minutes 10 --cuts 60 --speech true]`
 * Generates a 720p video (hard cuts, on-screen text on every other shot, espeak-ng speech when
 * installed), runs it through the real worker in its own process (embedded PGlite and local
 * storage, served by an API in this process), and prints per-stage wall time, the real-time factor
 * (video seconds / wall seconds), full decodes of the picture and the worker's peak RSS and CPU.
 *
 * Decode passes are counted from outside: the worker's FFMPEG_PATH is a wrapper that logs each
 * ffmpeg command line; a command reading the video without -vn and without a -t/-sseof window
 * is one full decode of the picture.
 */
import 'reflect-metadata';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateVideo, speechAvailable, startBenchStack } from './bench-stack';

/** An ffmpeg that logs its command line before running the real one. */
function loggingFfmpeg(dir: string, log: string): string {
  const real = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null }).ffmpeg;
  const wrapper = join(dir, 'ffmpeg');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** Full decodes of the picture among the logged ffmpeg runs (see the header). */
function pictureDecodes(log: string): number {
  if (!existsSync(log)) return 0;
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => /-i \S*source\b/.test(line) && !/ -vn\b/.test(line) && !/ -(t|sseof) /.test(line)).length;
}

/** Peak RSS (VmHWM) in MB, and CPU seconds of the process and its reaped children (ffmpeg, pocketsphinx). */
function processStats(pid: number): { peakRssMb: number; cpuS: number; childCpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  // Fields after the ")" of the command name: utime is the 14th field, cutime the 16th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const tick = 100;
  return { peakRssMb: hwm / 1024, cpuS: (Number(fields[11]) + Number(fields[12])) / tick, childCpuS: (Number(fields[13]) + Number(fields[14])) / tick };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, cuts: { type: 'string', default: '60' }, speech: { type: 'string', default: 'true' } } });
  const minutes = Number(values.minutes);
  const work = mkdtempSync(join(tmpdir(), 'heimdex-bench-pipeline-'));
  const speech = values.speech === 'true' && speechAvailable();
  const t0 = Date.now();
  const file = generateVideo(work, minutes, Number(values.cuts), speech);
  console.log(`generated ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB, ${speech ? 'espeak-ng speech' : 'sine tone'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const ffmpegLog = join(work, 'ffmpeg-commands.log');
  const { base, auth, worker, stop } = await startBenchStack({ FFMPEG_PATH: loggingFfmpeg(work, ffmpegLog) });

  const created = (await (await fetch(`${base}/v1/videos`, { method: 'POST', headers: auth, body: JSON.stringify({ filename: 'bench.mp4', contentType: 'video/mp4', sizeBytes: statSync(file).size }) })).json()) as {
    video: { id: string };
    upload: { url: string; headers: Record<string, string> };
  };
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: readFileSync(file) });
  if (!put.ok) throw new Error(`upload failed: ${put.status}`);
  const before = processStats(worker.pid!);
  const started = Date.now();
  await fetch(`${base}/v1/videos/${created.video.id}/complete`, { method: 'POST', headers: auth });
  let video: { state: string; error: string | null; durationS: number; stages: { stage: string; state: string; startedAt: string | null; finishedAt: string | null; note?: string; error?: string }[] };
  for (;;) {
    video = (await (await fetch(`${base}/v1/videos/${created.video.id}`, { headers: auth })).json()) as typeof video;
    if (video.state === 'indexed' || video.state === 'failed') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const wall = (Date.now() - started) / 1000;
  const after = processStats(worker.pid!);

  console.log(`\n${minutes} min 720p video, ${values.cuts} cuts: ${video.state}${video.error ? ` (${video.error})` : ''}`);
  console.log('stage                  state      wall s  note');
  for (const s of video.stages) {
    const secs = s.startedAt && s.finishedAt ? (new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime()) / 1000 : 0;
    console.log(`${s.stage.padEnd(22)} ${s.state.padEnd(10)} ${secs.toFixed(1).padStart(6)}  ${(s.note ?? s.error ?? '').slice(0, 100)}`);
  }
  const cpu = after.cpuS - before.cpuS;
  const childCpu = after.childCpuS - before.childCpuS;
  console.log(`\nupload complete → indexed: ${wall.toFixed(1)} s wall; real-time factor ${(video.durationS / wall).toFixed(2)}x`);
  console.log(`full decodes of the picture: ${pictureDecodes(ffmpegLog)} (ffmpeg runs in all: ${existsSync(ffmpegLog) ? readFileSync(ffmpegLog, 'utf8').trim().split('\n').length : 0})`);
  console.log(`worker process: peak RSS ${after.peakRssMb.toFixed(0)} MB (models loaded at start included); CPU ${cpu.toFixed(1)} s in the worker + ${childCpu.toFixed(1)} s in ffmpeg/pocketsphinx = ${((cpu + childCpu) / wall).toFixed(2)} cores busy on average`);

  await stop();
  process.exit(video.state === 'indexed' ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
