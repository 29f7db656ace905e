import { JobStage, JobState } from '@heimdex/db';
import { JOB_QUEUE, JobName, jobNameForStage, MaintenanceJobName } from './job-names';
import { dependenciesOf, PIPELINE, PIPELINE_GRAPH, queueOfStage, readyStages, stagePriority, stageOfJob, stagesDue, stagesFrom } from './pipeline';
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

describe('stagesDue (what the reconciler expects a queue to hold)', () => {
  const rows = (states: Partial<Record<JobStage, JobState>>) => PIPELINE.map((stage) => ({ stage, state: states[stage] ?? JobState.Pending }));

  it('a fresh pipeline needs only upload_validate', () => {
    expect(stagesDue(rows({}))).toEqual([JobStage.UploadValidate]);
  });

  it('after upload_validate: the two stages that wait only for it, not those further down', () => {
    expect(stagesDue(rows({ [JobStage.UploadValidate]: JobState.Completed }))).toEqual([JobStage.AudioExtract, JobStage.SceneDetect]);
  });

  it('running stages always, pending ones once their inputs are completed or skipped', () => {
    const due = stagesDue(
      rows({
        [JobStage.UploadValidate]: JobState.Completed,
        [JobStage.AudioExtract]: JobState.Completed,
        [JobStage.AsrFast]: JobState.Skipped,
        [JobStage.SceneDetect]: JobState.Running,
      }),
    );
    expect(due).toEqual([JobStage.SceneDetect]);
  });

  it('nothing for a finished, failed or cancelled pipeline', () => {
    expect(stagesDue(PIPELINE.map((stage) => ({ stage, state: JobState.Completed })))).toEqual([]);
    expect(stagesDue(PIPELINE.map((stage) => ({ stage, state: stage === JobStage.UploadValidate ? JobState.Failed : JobState.Cancelled })))).toEqual([]);
  });
});

describe('stagePriority (BullMQ: 1 is served first)', () => {
  it('every stage comes before the stages it waits for, so a video under way goes ahead of one not started', () => {
    for (const { stage, after } of PIPELINE_GRAPH) {
      for (const dep of after) expect({ stage, dep, sooner: stagePriority(stage) < stagePriority(dep) }).toEqual({ stage, dep, sooner: true });
    }
  });

  it("commit is served first, upload_validate last; all within BullMQ's range", () => {
    const all = PIPELINE.map(stagePriority);
    expect(stagePriority(JobStage.Commit)).toBe(1);
    expect(stagePriority(JobStage.UploadValidate)).toBe(Math.max(...all));
    for (const p of all) expect(p >= 1 && p <= 2 ** 21).toBe(true);
  });

  it('stageOfJob: stage jobs only', () => {
    expect(stageOfJob(JobName.SceneDetect)).toBe(JobStage.SceneDetect);
    expect(stageOfJob(JobName.VideoPurge)).toBeNull();
  });
});
