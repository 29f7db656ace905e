import { JobStage } from '@heimdex/db';
import { JobName } from './job-names';
import { jobNameForStage, nextStage, PIPELINE } from './pipeline';

describe('pipeline declaration', () => {
  it('names each stage job after its stage', () => {
    for (const stage of PIPELINE) expect(jobNameForStage(stage)).toBe(stage);
  });

  it('job names are plain string values (no reverse-mapped enum keys)', () => {
    for (const name of Object.values(JobName)) expect(name).toMatch(/^[a-z_]+$/);
  });

  it('declares stages in the order of the job_stage enum', () => {
    const order = Object.values(JobStage);
    const positions = PIPELINE.map((s) => order.indexOf(s));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(nextStage(PIPELINE[PIPELINE.length - 1])).toBeNull();
  });
});
