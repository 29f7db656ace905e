import { JobStage, JobState, DONE_JOB_STATES } from '@heimdex/db';
import type { JobName } from './job-names';
import { QueueName } from './queue-names';

/** One pipeline stage: its name, the stages it waits for and the queue family that runs it. */
export interface StageDeclaration {
  stage: JobStage;
  after: readonly JobStage[];
  queue: QueueName;
}

/**
 * The pipeline, declared once: each stage, the stages it waits for and its queue. Stages whose
 * inputs are ready run in parallel (speech beside vision); the job names, the job → queue map
 * and the order of work all follow from this table. Adding a stage: a row here, its value in
 * the job_stage enum (and its migration), and its class in the worker's stage list. The API
 * lists stages in job_stage enum order.
 */
export const PIPELINE_GRAPH: readonly StageDeclaration[] = [
  { stage: JobStage.UploadValidate, after: [], queue: QueueName.Media },
  { stage: JobStage.AudioExtract, after: [JobStage.UploadValidate], queue: QueueName.Media },
  { stage: JobStage.AsrFast, after: [JobStage.AudioExtract], queue: QueueName.Asr },
  // One decode pass: shot boundaries and the frames every visual stage uses.
  { stage: JobStage.SceneDetect, after: [JobStage.UploadValidate], queue: QueueName.Media },
  { stage: JobStage.AlignMerge, after: [JobStage.AsrFast, JobStage.SceneDetect], queue: QueueName.Media },
  { stage: JobStage.VisionSampleFrames, after: [JobStage.SceneDetect], queue: QueueName.Vision },
  // Text embeddings cover the transcript and the on-screen text.
  { stage: JobStage.EmbedText, after: [JobStage.AlignMerge, JobStage.VisionSampleFrames], queue: QueueName.Media },
  // Every per-frame model reads scene_detect's frames, so all start together as soon as it is done.
  { stage: JobStage.VisionEmbedFrames, after: [JobStage.SceneDetect], queue: QueueName.Vision },
  { stage: JobStage.FacesEnrollMatch, after: [JobStage.SceneDetect], queue: QueueName.Vision },
  // COCO objects on the same analysis frames.
  { stage: JobStage.VisionObjects, after: [JobStage.SceneDetect], queue: QueueName.Vision },
  // Content moderation on the same analysis frames.
  { stage: JobStage.VisionModeration, after: [JobStage.SceneDetect], queue: QueueName.Vision },
  // Language of the transcript and the on-screen text; each scene's language picks its full-text stemming.
  { stage: JobStage.LanguageDetect, after: [JobStage.AlignMerge, JobStage.VisionSampleFrames], queue: QueueName.Media },
  // Mood comes from CLIP, face expressions and loudness, so it waits for all three.
  { stage: JobStage.VisionAffectTags, after: [JobStage.VisionEmbedFrames, JobStage.FacesEnrollMatch, JobStage.AudioExtract], queue: QueueName.Vision },
  {
    stage: JobStage.SidecarBuild,
    after: [JobStage.EmbedText, JobStage.VisionAffectTags, JobStage.VisionObjects, JobStage.VisionModeration, JobStage.LanguageDetect],
    queue: QueueName.Media,
  },
  { stage: JobStage.Commit, after: [JobStage.SidecarBuild], queue: QueueName.Media },
];

/** Every stage, in job_stage enum order. */
export const PIPELINE: readonly JobStage[] = Object.values(JobStage);

const DECLARATIONS = new Map(PIPELINE_GRAPH.map((s) => [s.stage, s]));

function declarationOf(stage: JobStage): StageDeclaration {
  const declared = DECLARATIONS.get(stage);
  if (!declared) throw new Error(`stage ${stage} is not in the pipeline`);
  return declared;
}

/** The stage a job runs, or null for a maintenance job. */
export function stageOfJob(name: JobName): JobStage | null {
  return (PIPELINE as readonly string[]).includes(name) ? (name as string as JobStage) : null;
}

export function dependenciesOf(stage: JobStage): readonly JobStage[] {
  return declarationOf(stage).after;
}

/** The queue whose workers run `stage`. */
export function queueOfStage(stage: JobStage): QueueName {
  return declarationOf(stage).queue;
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

/**
 * The stages of a live video that must have a job in a queue right now: every running stage,
 * and every pending stage whose dependencies are all finished. The reconciler re-enqueues those
 * a lost Redis no longer holds.
 */
export function stagesDue(rows: readonly { stage: JobStage; state: JobState }[]): JobStage[] {
  const done = new Set(rows.filter((r) => DONE_JOB_STATES.has(r.state)).map((r) => r.stage));
  const pending = new Set(rows.filter((r) => r.state === JobState.Pending).map((r) => r.stage));
  const running = new Set(rows.filter((r) => r.state === JobState.Running).map((r) => r.stage));
  const ready = new Set(readyStages(done, pending));
  return PIPELINE.filter((s) => running.has(s) || ready.has(s));
}
