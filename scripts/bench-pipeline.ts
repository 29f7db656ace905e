/**
 * `npm run bench:pipeline [-- --minutes 2 --speech true]`
 * Renders a 720p programme (moving lavfi shots, still slides held 20–30 s, hard cuts and fades,
 * moving and fading text, espeak-ng speech in half the audio and a melody in the rest; see
 * bench-pipeline-video.ts), runs it through the real worker in its own process (embedded PGlite and
 * local storage, served by an API in this process), and prints the frames the scene pass decoded,
 * kept and skipped as near-duplicates, each stage's wall and CPU seconds, the real-time factor
 * (video seconds / wall seconds), wall against CPU spread over the cores, full decodes of the
 * picture and the worker's peak RSS.
 *
 * Child processes are measured from outside: the worker's FFMPEG_PATH and POCKETSPHINX_PATH are
 * wrappers that run the real binary and log its exact CPU (the shell's `times`) with its command
 * line; a run is charged to the stage whose work folder (heimdex-<stage>-<pid>-XXXXXX) its arguments
 * name, pocketsphinx to asr_fast. A command reading the video without -vn and without a -t/-sseof
 * window is one full decode of the picture. In-process CPU per stage comes from the worker's
 * `stage cpu` log lines (stage-cpu.ts); stages of different queues run at once in one process, so
 * that figure also holds the CPU of the stages that overlapped it (shown in the "with" column).
 */
import 'reflect-metadata';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STAGE_CPU_LINE } from '../apps/worker/src/pipeline/stage-cpu';
import { renderProgramme } from './bench-pipeline-video';
import { speechAvailable, startBenchStack } from './bench-stack';

function onPath(name: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * A wrapper that runs `real` and appends its children's CPU (`times`, second line) and its
 * command line to `log`, tab-separated. Not `exec`: the shell has to outlive the binary to read it.
 */
function timingWrapper(binDir: string, name: string, real: string, log: string): string {
  const wrapper = join(binDir, name);
  // `times` in a $(…) or a pipe would report that subshell's own (empty) children: write it from this shell.
  const lines = [
    `'${real}' "$@"`,
    'rc=$?',
    `times > '${wrapper}.$$'`,
    `printf '${name}\\t%s\\t%s\\n' "$(tail -n 1 '${wrapper}.$$')" "$*" >> '${log}'`,
    `rm -f '${wrapper}.$$'`,
    'exit $rc',
  ];
  writeFileSync(wrapper, `#!/bin/sh\n${lines.join('\n')}\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

interface ChildRun {
  tool: string;
  cpuS: number;
  stage: string;
  args: string;
}

function childRuns(log: string): ChildRun[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [tool, times, args] = line.split('\t');
      const cpuS = [...times.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      const stage = tool.startsWith('pocketsphinx') ? 'asr_fast' : (/heimdex-([a-z_]+)-(?:\d+-)?\w{6}\//.exec(args)?.[1] ?? '(other)');
      return { tool, cpuS, stage, args };
    });
}

/** Full decodes of the picture among the logged ffmpeg runs (see the header). */
function pictureDecodes(runs: ChildRun[]): number {
  return runs.filter((r) => r.tool === 'ffmpeg' && /-i \S*source\b/.test(r.args) && !/ -vn\b/.test(r.args) && !/ -(t|sseof) /.test(r.args)).length;
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

interface StageRow {
  stage: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  note?: string;
  error?: string;
}

interface StageCpuLog {
  processS: number;
  childrenS: number;
  concurrent: number;
}

/** The last `stage cpu` line of each stage for this video (a retried stage logs once per attempt). */
function stageCpuLogs(output: string, videoId: string): Map<string, StageCpuLog> {
  const logs = new Map<string, StageCpuLog>();
  for (const line of output.split('\n')) {
    const m = STAGE_CPU_LINE.exec(line);
    if (m && m[2] === videoId) logs.set(m[1], { processS: Number(m[4]), childrenS: Number(m[5]), concurrent: Number(m[6]) });
  }
  return logs;
}

function frameCounts(stages: StageRow[]): string {
  const note = stages.find((s) => s.stage === 'scene_detect')?.note ?? '';
  const m = /(\d+) frame\(s\) kept for analysis, (\d+) skipped as near-duplicates, of (\d+) scored/.exec(note);
  return m
    ? `${m[3]} decoded (ffmpeg's fps filter samples the one decode) and scored for cuts; of the ${Number(m[1]) + Number(m[2])} analysis candidates ${m[1]} kept, ${m[2]} skipped as near-duplicates`
    : `(scene_detect note not understood: ${note || 'none'})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '2' }, speech: { type: 'string', default: 'true' } } });
  const totalS = Math.round(Number(values.minutes) * 60);
  if (!(totalS >= 10)) throw new Error('--minutes must be at least 1/6');
  const work = mkdtempSync(join(tmpdir(), 'heimdex-bench-pipeline-'));
  const speech = values.speech === 'true' && speechAvailable();
  const t0 = Date.now();
  const real = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const { file, plan } = renderProgramme(real.ffmpeg, work, totalS, speech);
  const stills = plan.shots.filter((s) => s.kind === 'still');
  console.log(
    `generated ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${plan.shots.length} shots ` +
      `(${plan.shots.map((s) => `${s.kind} ${s.seconds}s${s.fade ? ' faded' : ''}`).join(', ')}); ${stills.length} still slide(s); ` +
      `audio ${plan.speechSeconds} s ${speech ? 'espeak-ng speech' : 'melody (no espeak-ng)'}, ${plan.musicSeconds} s melody`,
  );

  const binDir = join(work, 'bin');
  mkdirSync(binDir);
  const childLog = join(work, 'child-processes.log');
  const sphinx = ['pocketsphinx_continuous', 'pocketsphinx'].map(onPath).find((p): p is string => p !== null);
  const { base, auth, worker, workerOutput, stop } = await startBenchStack({
    NO_COLOR: '1',
    FFMPEG_PATH: timingWrapper(binDir, 'ffmpeg', real.ffmpeg, childLog),
    ...(sphinx && !process.env.POCKETSPHINX_PATH ? { POCKETSPHINX_PATH: timingWrapper(binDir, sphinx.split('/').pop()!, sphinx, childLog) } : {}),
  });

  const created = (await (
    await fetch(`${base}/v1/videos`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ filename: 'bench.mp4', contentType: 'video/mp4', sizeBytes: statSync(file).size }),
    })
  ).json()) as {
    video: { id: string };
    upload: { url: string; headers: Record<string, string> };
  };
  const put = await fetch(created.upload.url, { method: 'PUT', headers: created.upload.headers, body: readFileSync(file) });
  if (!put.ok) throw new Error(`upload failed: ${put.status}`);
  const pid = worker.pid!;
  const before = processStats(pid);
  const started = Date.now();
  await fetch(`${base}/v1/videos/${created.video.id}/complete`, { method: 'POST', headers: auth });
  let video: { state: string; error: string | null; durationS: number; stages: StageRow[] };
  for (;;) {
    video = (await (await fetch(`${base}/v1/videos/${created.video.id}`, { headers: auth })).json()) as typeof video;
    if (video.state === 'indexed' || video.state === 'failed') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const wall = (Date.now() - started) / 1000;
  const after = processStats(pid);
  const load = loadavg();
  const cores = availableParallelism();
  const runs = childRuns(childLog);
  const cpuLogs = stageCpuLogs(workerOutput(), created.video.id);

  console.log(`\n${totalS} s 720p programme: ${video.state}${video.error ? ` (${video.error})` : ''}`);
  console.log(`frames: ${frameCounts(video.stages)}`);
  console.log('stage                  state        wall s  proc s  child s   cpu s  with  note');
  let sumCpu = 0;
  for (const s of video.stages) {
    const secs = s.startedAt && s.finishedAt ? (new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime()) / 1000 : 0;
    const log = cpuLogs.get(s.stage);
    const child = runs.filter((r) => r.stage === s.stage).reduce((a, r) => a + r.cpuS, 0);
    const proc = log?.processS ?? 0;
    sumCpu += proc + child;
    const cols = [
      secs.toFixed(1).padStart(6),
      (log ? proc.toFixed(1) : '-').padStart(6),
      child.toFixed(1).padStart(7),
      (proc + child).toFixed(1).padStart(7),
      String(log ? log.concurrent - 1 : '-').padStart(4),
    ];
    console.log(`${s.stage.padEnd(22)} ${s.state.padEnd(10)} ${cols.join(' ')}  ${(s.note ?? s.error ?? '').slice(0, 90)}`);
  }
  const other = runs.filter((r) => !video.stages.some((s) => s.stage === r.stage)).reduce((a, r) => a + r.cpuS, 0);
  const workerCpu = after.cpuS - before.cpuS;
  const childCpu = after.childCpuS - before.childCpuS;
  console.log(
    'proc s: the worker\'s CPU while the stage ran (stage-cpu.ts), approximate: it includes the stages overlapping it ("with" = how many);\n' +
      'child s: exact CPU of the ffmpeg/pocketsphinx runs the stage started (timing wrappers)' +
      (other ? `; ${other.toFixed(1)} s of child CPU named no stage` : ''),
  );
  console.log(`\nupload complete → indexed: ${wall.toFixed(1)} s wall; real-time factor ${(video.durationS / wall).toFixed(2)}x (video s / wall s)`);
  console.log(
    `CPU: sum of stage CPU ${sumCpu.toFixed(1)} s (overlap counted twice); measured for the whole run ${(workerCpu + childCpu).toFixed(1)} s ` +
      `(${workerCpu.toFixed(1)} s worker + ${childCpu.toFixed(1)} s children, /proc, exact)`,
  );
  console.log(
    `wall / (CPU / ${cores} cores): ${(wall / (sumCpu / cores)).toFixed(2)} with the stage sum, ${(wall / ((workerCpu + childCpu) / cores)).toFixed(2)} with the exact total ` +
      '(1 = every core busy for the whole run; higher = waiting, or the machine is shared)',
  );
  console.log(`full decodes of the picture: ${pictureDecodes(runs)} (ffmpeg runs in all: ${runs.filter((r) => r.tool === 'ffmpeg').length})`);
  console.log(`worker peak RSS ${after.peakRssMb.toFixed(0)} MB (models loaded at start included)`);
  console.log(`machine: ${cores} cores, load average ${load.map((l) => l.toFixed(1)).join(' ')} at the end`);

  await stop();
  process.exit(video.state === 'indexed' ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
