import { readFileSync } from 'node:fs';

/**
 * CPU accounting for one stage run. `processS` is this worker's CPU (all threads, so
 * onnxruntime's and tfjs's pools included) over the stage; stages of other queues running at the
 * same time in this process are counted in it too, so it is exact only when `peakConcurrent` is 1.
 * `childrenS` is the CPU of child processes (ffmpeg, pocketsphinx) reaped during the stage, from
 * the kernel's cutime/cstime, with the same caveat.
 */
export interface StageCpu {
  wallS: number;
  processS: number;
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

function sample(): Sample {
  const usage = process.cpuUsage();
  return { at: performance.now(), processS: (usage.user + usage.system) / 1e6, childrenS: reapedChildrenCpuS() };
}

export class StageCpuMeter {
  private readonly start = sample();
  private peak = 0;

  constructor() {
    running.add(this);
    for (const meter of running) meter.peak = Math.max(meter.peak, running.size);
  }

  stop(): StageCpu {
    running.delete(this);
    const end = sample();
    return {
      wallS: (end.at - this.start.at) / 1000,
      processS: end.processS - this.start.processS,
      childrenS: end.childrenS - this.start.childrenS,
      peakConcurrent: this.peak,
    };
  }
}

/** The log line `npm run bench:pipeline` parses; keep the two in step. */
export function formatStageCpu(stage: string, videoId: string, cpu: StageCpu): string {
  return `stage cpu ${stage} ${videoId}: wall ${cpu.wallS.toFixed(2)} s, process ${cpu.processS.toFixed(2)} s, children ${cpu.childrenS.toFixed(2)} s, concurrent ${cpu.peakConcurrent}`;
}

export const STAGE_CPU_LINE = /stage cpu (\w+) (\S+): wall ([\d.]+) s, process ([\d.]+) s, children ([\d.]+) s, concurrent (\d+)/;
