/**
 * Every enum the database stores, defined once. The Postgres native enum of the same
 * name is created from these values by the migrations; `enum-labels.e2e-spec.ts` fails
 * if the two ever differ (seed 000: 'FREE' in the DB vs 'free' in code).
 */
export enum VideoState {
  Uploading = 'uploading',
  Validating = 'validating',
  Processing = 'processing',
  Indexed = 'indexed',
  Failed = 'failed',
  Deleted = 'deleted',
}

/** Pipeline stages, in the order API.md gives them. */
export enum JobStage {
  UploadValidate = 'upload_validate',
  AudioExtract = 'audio_extract',
  AsrFast = 'asr_fast',
  SceneDetect = 'scene_detect',
  AlignMerge = 'align_merge',
  EmbedText = 'embed_text',
  VisionSampleFrames = 'vision_sample_frames',
  VisionEmbedFrames = 'vision_embed_frames',
  VisionAffectTags = 'vision_affect_tags',
  FacesEnrollMatch = 'faces_enroll_match',
  VisionObjects = 'vision_objects',
  VisionModeration = 'vision_moderation',
  LanguageDetect = 'language_detect',
  SidecarBuild = 'sidecar_build',
  Commit = 'commit',
}

export enum JobState {
  Pending = 'pending',
  Running = 'running',
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
  Skipped = 'skipped',
}

/** A stage in one of these states is done: what waits for it may run. */
export const DONE_JOB_STATES: ReadonlySet<JobState> = new Set([JobState.Completed, JobState.Skipped]);

/** Content moderation's verdict on a scene or a video (the strictest of its scenes). */
export enum ContentRating {
  Safe = 'safe',
  Questionable = 'questionable',
  Explicit = 'explicit',
}

export enum FaceSource {
  Enrollment = 'enrollment',
  Detection = 'detection',
}

export enum AuditOutcome {
  Success = 'success',
  Denied = 'denied',
  Error = 'error',
}

export enum ActorRole {
  User = 'user',
  Admin = 'admin',
  System = 'system',
  /** A request without a valid token (an audited 401). */
  Anonymous = 'anonymous',
}

/** Not stored (Supabase owns users); lives here so there is one enum file. */
export enum UserTier {
  Free = 'free',
  Pro = 'pro',
  Enterprise = 'enterprise',
}

/** TS enum → Postgres type name; the enum-labels test walks this map. */
export const NATIVE_ENUMS = {
  video_state: VideoState,
  job_stage: JobStage,
  job_state: JobState,
  face_source: FaceSource,
  content_rating: ContentRating,
  audit_outcome: AuditOutcome,
  actor_role: ActorRole,
} as const;
