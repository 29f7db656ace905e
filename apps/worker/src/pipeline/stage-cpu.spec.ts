import { execFileSync } from 'node:child_process';
import { engineCpuSink } from '@heimdex/ml';
import { formatStageCpu, STAGE_CPU_LINE, StageCpuMeter } from './stage-cpu';

function spin(iterations: number): number {
  let x = 0;
  for (let i = 0; i < iterations; i++) x += i % 7;
  return x;
}

describe('StageCpuMeter', () => {
  it('counts this process and the children it reaped during the stage', () => {
    const meter = new StageCpuMeter();
    let x = 0;
    for (let i = 0; i < 5e7; i++) x += i % 7;
    execFileSync('sh', ['-c', 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done']);
    const cpu = meter.stop();
    expect(x).toBeGreaterThan(0);
    expect(cpu.processS).toBeGreaterThan(0);
    expect(cpu.childrenS).toBeGreaterThan(0);
    expect(cpu.peakConcurrent).toBe(1);
  });

  it('records how many stages overlapped, for both of two overlapping meters', () => {
    const first = new StageCpuMeter();
    const second = new StageCpuMeter();
    expect(second.stop().peakConcurrent).toBe(2);
    expect(first.stop().peakConcurrent).toBe(2);
    expect(new StageCpuMeter().stop().peakConcurrent).toBe(1);
  });

  it('splits the CPU of overlapping stages between them instead of counting it twice', () => {
    const startS = process.cpuUsage();
    const first = new StageCpuMeter();
    spin(3e7);
    const second = new StageCpuMeter();
    spin(3e7);
    const a = first.stop();
    spin(3e7);
    const b = second.stop();
    const used = process.cpuUsage(startS);
    const totalS = (used.user + used.system) / 1e6;
    // Each saw the middle third in its processS; their shares add up to the CPU once.
    expect(a.processS + b.processS).toBeGreaterThan(totalS * 1.2);
    expect(a.shareS + b.shareS).toBeGreaterThan(totalS * 0.9);
    expect(a.shareS + b.shareS).toBeLessThanOrEqual(totalS + 0.01);
    expect(a.shareS).toBeLessThan(a.processS);
  });

  it('gives the engine-thread CPU reported inside run() to its stage, and not again in the shares', async () => {
    const meter = new StageCpuMeter();
    const other = new StageCpuMeter();
    await meter.run(async () => engineCpuSink.getStore()?.(0.75));
    const cpu = meter.stop();
    other.stop();
    expect(cpu.threadS).toBe(0.75);
    expect(engineCpuSink.getStore()).toBeUndefined();
  });

  it('writes the line the pipeline benchmark parses', () => {
    const line = formatStageCpu('scene_detect', 'v-1', { wallS: 2, processS: 1.5, shareS: 0.5, threadS: 0.25, childrenS: 3.25, peakConcurrent: 2 });
    expect(STAGE_CPU_LINE.exec(`[Nest] 1 - LOG [StageRunner] ${line}`)?.slice(1)).toEqual(['scene_detect', 'v-1', '2.00', '1.50', '0.50', '0.25', '3.25', '2']);
  });
});
