import { execFileSync } from 'node:child_process';
import { formatStageCpu, STAGE_CPU_LINE, StageCpuMeter } from './stage-cpu';

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

  it('writes the line the pipeline benchmark parses', () => {
    const line = formatStageCpu('scene_detect', 'v-1', { wallS: 2, processS: 1.5, childrenS: 3.25, peakConcurrent: 2 });
    expect(STAGE_CPU_LINE.exec(`[Nest] 1 - LOG [StageRunner] ${line}`)?.slice(1)).toEqual(['scene_detect', 'v-1', '2.00', '1.50', '3.25', '2']);
  });
});
