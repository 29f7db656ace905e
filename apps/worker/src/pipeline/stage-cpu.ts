import { engineCpuSink } from '@heimdex/ml';
import { readFileSync } from 'node:fs';

/**
 * CPU accounting for one stage run.
 * - `threadS`: exact CPU of the engine threads' calls this stage made (EngineThread reports each
 *   call's thread CPU from /proc/thread-self; the pools native code starts, onnxruntime's and
 *   libvips's, are not in it).
 * - `shareS`: the rest of this process's CPU while the stage ran, each moment's split evenly
 *   among the stages running then. `threadS + shareS` is the stage's CPU; over all stages they
 *   add up to the process's CPU while any stage ran, so overlapping stages are not counted twice.
 * - `processS`: the whole process's CPU (all threads) over the stage, overlapping stages included:
 *   exact for the stage only when `peakConcurrent` is 1.
 * - `childrenS`: CPU of child processes (ffmpeg, pocketsphinx) reaped during the stage, from the
 *   kernel's cutime/cstime, with processS's caveat.
 */
export interface StageCpu {
  wallS: number;
  processS: number;
  shareS: number;
  threadS: number;
  childrenS: number;
  /** Most stages running in this process at once while this one ran (1 = it ran alone). */
  peakConcurrent: number;
}

interface Sample {
  at: number;
  processS: number;
  childrenS: number;
}

const running = new Set<StageCpuMeter>();

/** USER_HZ: /proc reports times in clock ticks, 100 a second on every Linux ABI Node supports. */
const TICKS_PER_S = 100;

function reapedChildrenCpuS(): number {
  try {
    // Fields after the command name's ")": cutime and cstime are the 16th and 17th of the line.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_S;
  } catch {
    return 0; // no procfs (not Linux): children are not counted
  }
}

function processCpuS(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function sample(): Sample {
  return { at: performance.now(), processS: processCpuS(), childrenS: reapedChildrenCpuS() };
}

/** The process CPU not yet split among the running stages, less the engine-thread CPU already given to its stage. */
const unsplit = { since: processCpuS(), threadS: 0 };

function splitAmongRunning(): void {
  const now = processCpuS();
  const rest = Math.max(0, now - unsplit.since - unsplit.threadS);
  unsplit.since = now;
  unsplit.threadS = 0;
  for (const meter of running) meter.shareS += rest / running.size;
}

export class StageCpuMeter {
  private readonly start: Sample;
  private peak = 0;
  private threadS = 0;
  /** Written by splitAmongRunning. */
  shareS = 0;

  constructor() {
    splitAmongRunning();
    this.start = sample();
    running.add(this);
    for (const meter of running) meter.peak = Math.max(meter.peak, running.size);
  }

  /** Runs the stage so that the engine-thread calls it makes report their CPU here. */
  run<T>(stage: () => Promise<T>): Promise<T> {
    return engineCpuSink.run((cpuS) => {
      this.threadS += cpuS;
      unsplit.threadS += cpuS;
    }, stage);
  }

  stop(): StageCpu {
    splitAmongRunning();
    running.delete(this);
    const end = sample();
    return {
      wallS: (end.at - this.start.at) / 1000,
      processS: end.processS - this.start.processS,
      shareS: this.shareS,
      threadS: this.threadS,
      childrenS: end.childrenS - this.start.childrenS,
      peakConcurrent: this.peak,
    };
  }
}

/** The log line `npm run bench:pipeline` parses; keep the two in step. */
export function formatStageCpu(stage: string, videoId: string, cpu: StageCpu): string {
  return (
    `stage cpu ${stage} ${videoId}: wall ${cpu.wallS.toFixed(2)} s, process ${cpu.processS.toFixed(2)} s, share ${cpu.shareS.toFixed(2)} s, ` +
    `threads ${cpu.threadS.toFixed(2)} s, children ${cpu.childrenS.toFixed(2)} s, concurrent ${cpu.peakConcurrent}`
  );
}

export const STAGE_CPU_LINE =
  /stage cpu (\w+) (\S+): wall ([\d.]+) s, process ([\d.]+) s(?:, share ([\d.]+) s, threads ([\d.]+) s)?, children ([\d.]+) s, concurrent (\d+)/;
