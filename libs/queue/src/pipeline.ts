import { JobStage, JobState } from '@heimdex/db';
import { JobName, StageJobName } from './job-names';

/**
 * The pipeline, declared once: each stage and the stages it waits for. Stages whose inputs are
 * ready run in parallel (speech beside vision); everything else follows from this table. The
 * API lists stages in job_stage enum order.
 */
export const PIPELINE_GRAPH: ReadonlyArray<{ stage: JobStage; after: readonly JobStage[] }> = [
  { stage: JobStage.UploadValidate, after: [] },
  { stage: JobStage.AudioExtract, after: [JobStage.UploadValidate] },
  { stage: JobStage.AsrFast, after: [JobStage.AudioExtract] },
  // One decode pass: shot boundaries and the frames every visual stage uses.
  { stage: JobStage.SceneDetect, after: [JobStage.UploadValidate] },
  { stage: JobStage.AlignMerge, after: [JobStage.AsrFast, JobStage.SceneDetect] },
  { stage: JobStage.VisionSampleFrames, after: [JobStage.SceneDetect] },
  // Text embeddings cover the transcript and the on-screen text.
  { stage: JobStage.EmbedText, after: [JobStage.AlignMerge, JobStage.VisionSampleFrames] },
  { stage: JobStage.VisionEmbedFrames, after: [JobStage.VisionSampleFrames] },
  { stage: JobStage.FacesEnrollMatch, after: [JobStage.VisionSampleFrames] },
  // Mood comes from CLIP, face expressions and loudness, so it waits for all three.
  { stage: JobStage.VisionAffectTags, after: [JobStage.VisionEmbedFrames, JobStage.FacesEnrollMatch, JobStage.AudioExtract] },
  { stage: JobStage.SidecarBuild, after: [JobStage.EmbedText, JobStage.VisionAffectTags] },
  { stage: JobStage.Commit, after: [JobStage.SidecarBuild] },
];

/** Every stage, in job_stage enum order. */
export const PIPELINE: readonly JobStage[] = Object.values(JobStage);

const DEPENDENCIES = new Map(PIPELINE_GRAPH.map((s) => [s.stage, s.after]));

export function jobNameForStage(stage: JobStage): StageJobName {
  const name = stage as string as StageJobName;
  if (!(Object.values(JobName) as string[]).includes(name)) throw new Error(`stage ${stage} has no job`);
  return name;
}

/** The stage a job runs, or null for a maintenance job. */
export function stageOfJob(name: JobName): JobStage | null {
  return (PIPELINE as readonly string[]).includes(name) ? (name as string as JobStage) : null;
}

export function dependenciesOf(stage: JobStage): readonly JobStage[] {
  const deps = DEPENDENCIES.get(stage);
  if (!deps) throw new Error(`stage ${stage} is not in the pipeline`);
  return deps;
}

/** Stages not yet done whose every dependency is done: what to enqueue now. */
export function readyStages(done: ReadonlySet<JobStage>, open: ReadonlySet<JobStage>): JobStage[] {
  return PIPELINE.filter((s) => open.has(s) && dependenciesOf(s).every((d) => done.has(d)));
}

/** `stage` and everything downstream of it: what a reprocess from `stage` reruns. */
export function stagesFrom(stage: JobStage): JobStage[] {
  const out = new Set<JobStage>([stage]);
  for (const { stage: s, after } of PIPELINE_GRAPH) if (after.some((d) => out.has(d))) out.add(s);
  return PIPELINE.filter((s) => out.has(s));
}

/** Each stage's depth: the longest chain of stages before it (upload_validate 0, commit the deepest). */
const DEPTH = new Map<JobStage, number>();
for (const { stage, after } of PIPELINE_GRAPH) DEPTH.set(stage, Math.max(-1, ...after.map((d) => DEPTH.get(d) ?? 0)) + 1);
const MAX_DEPTH = Math.max(...DEPTH.values());

/**
 * BullMQ priority of a stage's job (1 is served first): the deeper the stage, the sooner. A
 * worker finishing a stage of a video already under way therefore takes that video's next stage
 * before the first stage of a video not yet started, so a batch completes one video after
 * another instead of every video moving through each stage together. Jobs of equal priority are
 * served in the order they were added.
 */
export function stagePriority(stage: JobStage): number {
  const depth = DEPTH.get(stage);
  if (depth === undefined) throw new Error(`stage ${stage} is not in the pipeline`);
  return MAX_DEPTH - depth + 1;
}

const FINISHED = new Set([JobState.Completed, JobState.Skipped]);

/**
 * The stages of a live video that must have a job in a queue right now: every running stage,
 * and every pending stage whose dependencies are all finished. The reconciler re-enqueues those
 * a lost Redis no longer holds.
 */
export function stagesDue(rows: readonly { stage: JobStage; state: JobState }[]): JobStage[] {
  const done = new Set(rows.filter((r) => FINISHED.has(r.state)).map((r) => r.stage));
  const pending = new Set(rows.filter((r) => r.state === JobState.Pending).map((r) => r.stage));
  const running = new Set(rows.filter((r) => r.state === JobState.Running).map((r) => r.stage));
  const ready = new Set(readyStages(done, pending));
  return PIPELINE.filter((s) => running.has(s) || ready.has(s));
}
