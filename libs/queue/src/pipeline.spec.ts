import { JobStage } from '@heimdex/db';
import { JOB_QUEUE, JobName, jobNameForStage, MaintenanceJobName } from './job-names';
import { dependenciesOf, PIPELINE, PIPELINE_GRAPH, queueOfStage, readyStages, stagesFrom } from './pipeline';
import { QueueName } from './queue-names';

describe('pipeline declaration', () => {
  it('names each stage job after its stage', () => {
    for (const stage of PIPELINE) expect(jobNameForStage(stage)).toBe(stage);
  });

  it('derives every job name and its queue: stages from the graph, the rest on maintenance', () => {
    expect(Object.values(JobName).sort()).toEqual([...PIPELINE, ...Object.values(MaintenanceJobName)].sort());
    for (const { stage, queue } of PIPELINE_GRAPH) expect(JOB_QUEUE[stage]).toBe(queue);
    for (const name of Object.values(MaintenanceJobName)) expect(JOB_QUEUE[name]).toBe(QueueName.Maintenance);
    expect(queueOfStage(JobStage.AsrFast)).toBe(QueueName.Asr);
    expect(Object.keys(JOB_QUEUE).sort()).toEqual(Object.values(JobName).sort());
  });

  it('job names are plain string values (no reverse-mapped enum keys)', () => {
    for (const name of Object.values(JobName)) expect(name).toMatch(/^[a-z_]+$/);
  });

  it('declares every stage once, each after stages that come earlier in the enum (so the graph has no cycle)', () => {
    const order = Object.values(JobStage);
    expect(PIPELINE_GRAPH.map((s) => s.stage).sort()).toEqual([...order].sort());
    for (const { stage, after } of PIPELINE_GRAPH) {
      for (const dep of after) {
        const earlier = PIPELINE_GRAPH.findIndex((s) => s.stage === dep) < PIPELINE_GRAPH.findIndex((s) => s.stage === stage);
        expect({ stage, dep, earlier }).toEqual({ stage, dep, earlier: true });
      }
    }
  });

  it('walks the whole graph from upload_validate to commit', () => {
    const done = new Set<JobStage>();
    const open = new Set<JobStage>(PIPELINE);
    const waves: JobStage[][] = [];
    while (open.size) {
      const ready = readyStages(done, open);
      expect(ready.length).toBeGreaterThan(0);
      waves.push(ready);
      for (const s of ready) {
        done.add(s);
        open.delete(s);
      }
    }
    expect(waves[0]).toEqual([JobStage.UploadValidate]);
    expect(waves[1]).toEqual([JobStage.AudioExtract, JobStage.SceneDetect]);
    expect(waves[waves.length - 1]).toEqual([JobStage.Commit]);
  });

  it('does not start a stage before all its inputs are done', () => {
    const done = new Set([JobStage.UploadValidate, JobStage.AudioExtract, JobStage.AsrFast]);
    const open = new Set(PIPELINE.filter((s) => !done.has(s)));
    expect(readyStages(done, open)).toEqual([JobStage.SceneDetect]);
    expect(dependenciesOf(JobStage.AlignMerge)).toContain(JobStage.SceneDetect);
  });

  it('reprocess from a stage reruns it and everything downstream only', () => {
    expect(stagesFrom(JobStage.EmbedText)).toEqual([JobStage.EmbedText, JobStage.SidecarBuild, JobStage.Commit]);
    expect(stagesFrom(JobStage.UploadValidate)).toEqual(PIPELINE);
    expect(stagesFrom(JobStage.AsrFast)).not.toContain(JobStage.SceneDetect);
  });
});
