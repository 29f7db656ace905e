import { JobStage } from '@heimdex/db';
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
  { stage: JobStage.VisionEmbedFrames, after: [JobStage.VisionSampleFrames], queue: QueueName.Vision },
  { stage: JobStage.FacesEnrollMatch, after: [JobStage.VisionSampleFrames], queue: QueueName.Vision },
  // COCO objects on the same analysis frames.
  { stage: JobStage.VisionObjects, after: [JobStage.SceneDetect], queue: QueueName.Vision },
  // Content moderation on the same analysis frames.
  { stage: JobStage.VisionModeration, after: [JobStage.SceneDetect], queue: QueueName.Vision },
  // Language of the transcript and the on-screen text; the video's language picks the full-text stemming.
  { stage: JobStage.LanguageDetect, after: [JobStage.AlignMerge, JobStage.VisionSampleFrames], queue: QueueName.Media },
  // Mood comes from CLIP, face expressions and loudness, so it waits for all three.
  { stage: JobStage.VisionAffectTags, after: [JobStage.VisionEmbedFrames, JobStage.FacesEnrollMatch, JobStage.AudioExtract], queue: QueueName.Vision },
  { stage: JobStage.SidecarBuild, after: [JobStage.EmbedText, JobStage.VisionAffectTags, JobStage.VisionObjects, JobStage.VisionModeration, JobStage.LanguageDetect], queue: QueueName.Media },
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
