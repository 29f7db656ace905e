/**
 * `npm run bench:pipeline [-- --minutes 2 --speech true] [--compare-ref <commit> --runs 3]`
 * Renders a 720p programme (moving lavfi shots, still slides held 20–30 s, hard cuts and fades,
 * moving and fading text, espeak-ng speech in half the audio and a melody in the rest; see
 * bench-pipeline-video.ts), runs it through the real worker in its own process (embedded PGlite and
 * local storage, served by an API in this process), and prints the frames the scene pass decoded,
 * kept and skipped as near-duplicates, each stage's wall and CPU seconds, the real-time factor
 * (video seconds / wall seconds), wall against CPU spread over the cores, full decodes of the
 * picture and the worker's peak RSS (its engine threads included: they share the process).
 *
 * Child processes are measured from outside: the worker's FFMPEG_PATH and POCKETSPHINX_PATH are
 * wrappers that run the real binary and log its exact CPU (the shell's `times`) with its command
 * line; a run is charged to the stage whose work folder (heimdex-<stage>-<pid>-XXXXXX) its arguments
 * name, pocketsphinx to asr_fast. A command reading the video without -vn and without a -t/-sseof
 * window is one full decode of the picture. In-process CPU per stage comes from the worker's
 * `stage cpu` log lines (stage-cpu.ts): the engine-thread CPU of the stage's model calls (exact) plus
 * its share of the rest of the worker's CPU (split evenly among the stages running at each moment),
 * so the stages' CPU adds up to the worker's without counting overlap twice.
 *
 * --compare-ref <commit>: that commit is extracted and built beside this checkout (ref-checkout.ts),
 * the same rendered video goes through its stack and this one's, alternating, --runs times each
 * (each run a fresh process: --video <file> --json <out> [--code-root <dir>]), and the medians and the
 * ratio of real-time factors (this / that) are printed.
 */
import 'reflect-metadata';
import { resolveFfmpegBinaries } from '@heimdex/media';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STAGE_CPU_LINE } from '../apps/worker/src/pipeline/stage-cpu';
import { renderProgramme } from './bench-pipeline-video';
import { speechAvailable, startBenchStack } from './bench-stack';
import { builtRefCheckout } from './lib/ref-checkout';

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
  /** Null from a worker before engine threads (its lines have no share/threads). */
  shareS: number | null;
  threadS: number | null;
  childrenS: number;
  concurrent: number;
}

/** The last `stage cpu` line of each stage for this video (a retried stage logs once per attempt). */
function stageCpuLogs(output: string, videoId: string): Map<string, StageCpuLog> {
  const logs = new Map<string, StageCpuLog>();
  for (const line of output.split('\n')) {
    const m = STAGE_CPU_LINE.exec(line);
    if (m && m[2] === videoId) {
      const share = m[5] === undefined ? null : Number(m[5]);
      const threads = m[6] === undefined ? null : Number(m[6]);
      logs.set(m[1], { processS: Number(m[4]), shareS: share, threadS: threads, childrenS: Number(m[7]), concurrent: Number(m[8]) });
    }
  }
  return logs;
}

function frameCounts(stages: StageRow[]): string {
  const note = stages.find((s) => s.stage === 'scene_detect')?.note ?? '';
  const m = /(\d+) frame\(s\) kept for analysis, (\d+) skipped as near-duplicates, of (\d+) scored/.exec(note);
  return m
    ? `${m[3]} decoded (ffmpeg's fps filter samples the one decode) and scored for cuts; of the ${Number(m[1]) + Number(m[2])} analysis candidates ${m[1]} analysed, ${m[2]} skipped as near-duplicates`
    : `(scene_detect note not understood: ${note || 'none'})`;
}

/** What one run measured; --json writes it for --compare-ref. */
interface BenchResult {
  state: string;
  videoS: number;
  wallS: number;
  rtf: number;
  sumStageCpuS: number;
  workerCpuS: number;
  childCpuS: number;
  cores: number;
  /** wall / (sum of stage CPU / cores), null when the worker logs no per-stage CPU. */
  ratioStages: number | null;
  /** wall / (the worker's and its children's CPU over the run / cores), from /proc. */
  ratioExact: number;
  decodes: number;
  peakRssMb: number;
}

/** Uploads `file` to a fresh stack (this checkout's, or the build in `codeRoot`) and waits for it to be indexed. */
async function measure(file: string, codeRoot: string | undefined, work: string): Promise<BenchResult> {
  const real = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
  const binDir = join(work, 'bin');
  mkdirSync(binDir, { recursive: true });
  const childLog = join(work, 'child-processes.log');
  const sphinx = ['pocketsphinx_continuous', 'pocketsphinx'].map(onPath).find((p): p is string => p !== null);
  const { base, auth, worker, workerOutput, stop } = await startBenchStack(
    {
      NO_COLOR: '1',
      FFMPEG_PATH: timingWrapper(binDir, 'ffmpeg', real.ffmpeg, childLog),
      ...(sphinx && !process.env.POCKETSPHINX_PATH ? { POCKETSPHINX_PATH: timingWrapper(binDir, sphinx.split('/').pop()!, sphinx, childLog) } : {}),
    },
    codeRoot,
  );

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
  // To the last stage's end (the worker's clock is this machine's), not to the poll that saw it, which adds up to 0.5 s.
  const lastEnd = Math.max(...video.stages.map((s) => (s.finishedAt ? new Date(s.finishedAt).getTime() : 0)));
  const wall = ((video.state === 'indexed' && lastEnd > started ? lastEnd : Date.now()) - started) / 1000;
  const after = processStats(pid);
  const load = loadavg();
  const cores = availableParallelism();
  const runs = childRuns(childLog);
  const cpuLogs = stageCpuLogs(workerOutput(), created.video.id);

  console.log(`\n${video.durationS} s 720p programme: ${video.state}${video.error ? ` (${video.error})` : ''}`);
  console.log(`frames: ${frameCounts(video.stages)}`);
  console.log('stage                  state       start s  wall s   cpu s  thread s  share s  child s  proc s  with  note');
  let sumCpu = 0;
  for (const s of video.stages) {
    const secs = s.startedAt && s.finishedAt ? (new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime()) / 1000 : 0;
    const log = cpuLogs.get(s.stage);
    const child = runs.filter((r) => r.stage === s.stage).reduce((a, r) => a + r.cpuS, 0);
    const inProcess = log && log.shareS !== null ? log.shareS + (log.threadS ?? 0) : 0;
    sumCpu += inProcess + child;
    const num = (v: number | null | undefined, width: number): string => (v === null || v === undefined ? '-' : v.toFixed(1)).padStart(width);
    const cols = [
      num(s.startedAt ? (new Date(s.startedAt).getTime() - started) / 1000 : null, 7),
      num(secs, 6),
      num(inProcess + child, 7),
      num(log?.threadS, 9),
      num(log?.shareS, 8),
      num(child, 8),
      num(log?.processS, 7),
      String(log ? log.concurrent - 1 : '-').padStart(5),
    ];
    console.log(`${s.stage.padEnd(22)} ${s.state.padEnd(10)} ${cols.join(' ')}  ${(s.note ?? s.error ?? '').slice(0, 80)}`);
  }
  // The per-frame model stages' notes say what each frame cost per model: in full, as the table cuts them.
  const cut = video.stages.filter((s) => (s.note ?? '').length > 80);
  if (cut.length) console.log(`notes in full:\n${cut.map((s) => `  ${s.stage}: ${s.note}`).join('\n')}`);
  const other = runs.filter((r) => !video.stages.some((s) => s.stage === r.stage)).reduce((a, r) => a + r.cpuS, 0);
  const workerCpu = after.cpuS - before.cpuS;
  const childCpu = after.childCpuS - before.childCpuS;
  const perStage = [...cpuLogs.values()].some((l) => l.shareS !== null);
  console.log(
    'start s: when the stage started, from upload complete. ' +
      "cpu s = thread s + share s + child s. thread s: exact CPU of the engine threads for the stage's model calls; share s: the rest of the worker's CPU " +
      'while the stage ran, split evenly among the stages running then; child s: exact CPU of the ffmpeg/pocketsphinx runs the stage started; ' +
      'proc s: the whole worker\'s CPU over the stage, overlapping stages included ("with" = how many)' +
      (other ? `; ${other.toFixed(1)} s of child CPU named no stage` : ''),
  );
  const rtf = video.durationS / wall;
  console.log(`\nupload complete → indexed: ${wall.toFixed(1)} s wall; real-time factor ${rtf.toFixed(2)}x (video s / wall s)`);
  console.log(
    `CPU: sum of stage CPU ${perStage ? `${sumCpu.toFixed(1)} s` : 'not logged by this worker'}; measured for the whole run ${(workerCpu + childCpu).toFixed(1)} s ` +
      `(${workerCpu.toFixed(1)} s worker + ${childCpu.toFixed(1)} s children, /proc, exact)`,
  );
  const ratioStages = perStage && sumCpu > 0 ? wall / (sumCpu / cores) : null;
  const ratioExact = wall / ((workerCpu + childCpu) / cores);
  console.log(
    `wall / (CPU / ${cores} cores): ${ratioStages === null ? '-' : ratioStages.toFixed(2)} with the stage sum, ${ratioExact.toFixed(2)} with the exact total ` +
      '(1 = every core busy for the whole run; higher = waiting, or the machine is shared)',
  );
  const decodes = pictureDecodes(runs);
  console.log(`full decodes of the picture: ${decodes} (ffmpeg runs in all: ${runs.filter((r) => r.tool === 'ffmpeg').length})`);
  console.log(`worker peak RSS ${after.peakRssMb.toFixed(0)} MB (models loaded at start and engine threads included)`);
  console.log(`machine: ${cores} cores, load average ${load.map((l) => l.toFixed(1)).join(' ')} at the end`);

  await stop();
  return {
    state: video.state,
    videoS: video.durationS,
    wallS: wall,
    rtf,
    sumStageCpuS: sumCpu,
    workerCpuS: workerCpu,
    childCpuS: childCpu,
    cores,
    ratioStages,
    ratioExact,
    decodes,
    peakRssMb: after.peakRssMb,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One measurement in a fresh process of this script (a stack per process: two Nest apps of different commits never share one). */
function measureInChild(file: string, codeRoot: string | undefined, label: string, work: string, run: number): Promise<BenchResult> {
  const json = join(work, `${label}-${run}.json`);
  const args = [__filename, '--video', file, '--json', json, ...(codeRoot ? ['--code-root', codeRoot] : [])];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, args, { maxBuffer: 64 * 1024 ** 2 }, (err, stdout) => {
      if (err) return reject(new Error(`${label} run ${run} failed: ${err.message}\n${stdout}`));
      console.log(`--- ${label}, run ${run} ---\n${stdout.trim()}`);
      resolve(JSON.parse(readFileSync(json, 'utf8')) as BenchResult);
    });
    child.stderr?.pipe(process.stderr);
  });
}

async function compare(file: string, ref: string, runs: number, work: string): Promise<void> {
  const repoRoot = join(__dirname, '..', '..');
  const old = builtRefCheckout(repoRoot, ref);
  const head = execFileSync('git', ['-C', repoRoot, 'rev-parse', '--short=10', 'HEAD'], { encoding: 'utf8' }).trim();
  const labels = { new: `this checkout (${head})`, old: `${ref} (${old.commit.slice(0, 10)})` };
  const results: Record<'new' | 'old', BenchResult[]> = { new: [], old: [] };
  for (let run = 1; run <= runs; run++) {
    // Alternating, each side first every other run, so drift in the machine's load falls on both.
    const order: ('new' | 'old')[] = run % 2 ? ['old', 'new'] : ['new', 'old'];
    for (const side of order) results[side].push(await measureInChild(file, side === 'old' ? old.root : undefined, side, work, run));
  }
  const row = (name: string, pick: (r: BenchResult) => number | null, digits = 2): string => {
    const cell = (side: 'new' | 'old'): string => {
      const values = results[side].map(pick).filter((v): v is number => v !== null);
      return values.length ? `${median(values).toFixed(digits)} (${values.map((v) => v.toFixed(digits)).join(', ')})` : '-';
    };
    return `${name.padEnd(34)} ${cell('old').padEnd(34)} ${cell('new')}`;
  };
  console.log(`\n=== side by side, ${runs} run(s) each, alternating; median (each run) ===`);
  console.log(`${''.padEnd(34)} ${labels.old.padEnd(34)} ${labels.new}`);
  console.log(row('real-time factor (video s / wall s)', (r) => r.rtf));
  console.log(row('wall s', (r) => r.wallS, 1));
  console.log(row('worker + children CPU s', (r) => r.workerCpuS + r.childCpuS, 1));
  console.log(row('wall / (stage CPU / cores)', (r) => r.ratioStages));
  console.log(row('wall / (exact CPU / cores)', (r) => r.ratioExact));
  console.log(row('full decodes of the picture', (r) => r.decodes, 0));
  console.log(row('worker peak RSS MB', (r) => r.peakRssMb, 0));
  const rtfRatio = median(results.new.map((r) => r.rtf)) / median(results.old.map((r) => r.rtf));
  console.log(`real-time factor, this / ${ref}: ${rtfRatio.toFixed(2)} (medians; ≥ 0.8 is the issue's bar with every built-in model on)`);
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '2' },
      speech: { type: 'string', default: 'true' },
      video: { type: 'string' },
      json: { type: 'string' },
      'code-root': { type: 'string' },
      'compare-ref': { type: 'string' },
      runs: { type: 'string', default: '3' },
    },
  });
  const work = mkdtempSync(join(tmpdir(), 'heimdex-bench-pipeline-'));
  let file = values.video;
  if (!file) {
    const totalS = Math.round(Number(values.minutes) * 60);
    if (!(totalS >= 10)) throw new Error('--minutes must be at least 1/6');
    const speech = values.speech === 'true' && speechAvailable();
    const t0 = Date.now();
    const real = resolveFfmpegBinaries({ ffmpegPath: null, ffprobePath: null });
    const rendered = renderProgramme(real.ffmpeg, work, totalS, speech);
    file = rendered.file;
    const { plan } = rendered;
    const stills = plan.shots.filter((s) => s.kind === 'still');
    console.log(
      `generated ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${plan.shots.length} shots ` +
        `(${plan.shots.map((s) => `${s.kind} ${s.seconds}s${s.fade ? ' faded' : ''}`).join(', ')}); ${stills.length} still slide(s); ` +
        `audio ${plan.speechSeconds} s ${speech ? 'espeak-ng speech' : 'melody (no espeak-ng)'}, ${plan.musicSeconds} s melody`,
    );
  }
  if (values['compare-ref']) {
    const runs = Number(values.runs);
    if (!(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs must be a whole number of at least 1');
    await compare(file, values['compare-ref'], runs, work);
    process.exit(0);
  }
  const result = await measure(file, values['code-root'], work);
  if (values.json) writeFileSync(values.json, JSON.stringify(result));
  process.exit(result.state === 'indexed' ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
