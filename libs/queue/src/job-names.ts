import { JobStage } from '@heimdex/db';
import { PIPELINE, queueOfStage } from './pipeline';
import { QueueName } from './queue-names';

/** The jobs that are not pipeline stages. */
export enum MaintenanceJobName {
  VideoPurge = 'video_purge',
  ReembedScenes = 'reembed_scenes',
  FacesRematch = 'faces_rematch',
  FacesCluster = 'faces_cluster',
  UserPurge = 'user_purge',
  AuditRetention = 'audit_retention',
}

/**
 * Every job Heimdex runs: one per pipeline stage, named after it (derived from JobStage, so a
 * new stage needs no entry here), and the maintenance jobs. The worker refuses to start if any
 * name has no handler.
 */
export const JobName = { ...JobStage, ...MaintenanceJobName } as const;
export type JobName = JobStage | MaintenanceJobName;
/** `JobName.X` as a type, for the handlers that name their job. */
// eslint-disable-next-line @typescript-eslint/no-namespace -- a type-only namespace keeps `JobName.X` usable as a type
export declare namespace JobName {
  type VideoPurge = MaintenanceJobName.VideoPurge;
  type ReembedScenes = MaintenanceJobName.ReembedScenes;
  type FacesRematch = MaintenanceJobName.FacesRematch;
  type FacesCluster = MaintenanceJobName.FacesCluster;
  type UserPurge = MaintenanceJobName.UserPurge;
  type AuditRetention = MaintenanceJobName.AuditRetention;
  type UploadValidate = JobStage.UploadValidate;
}

/** The job names that run one pipeline stage (same string as the stage). */
export type StageJobName = JobStage;

export function jobNameForStage(stage: JobStage): StageJobName {
  if (!PIPELINE.includes(stage)) throw new Error(`stage ${stage} has no job`);
  return stage;
}

export interface StageJobPayload {
  videoId: string;
  /** The video's pipelineRun this job belongs to: a reprocess makes older jobs no-ops. */
  run: number;
}

export interface VideoPurgePayload {
  videoId: string;
  userId: string;
}

export interface ReembedScenesPayload {
  kind: 'text' | 'visual';
  /** The model the scenes are moved to; a job for an older model stops. */
  model: string;
}

/** Re-match a user's stored scene face tracks to their people, then update the clusters of the unnamed ones. */
export interface FacesRematchPayload {
  userId: string;
  /** The user's face_index_states.revision this job was queued for: an older job yields to a newer one. */
  revision: number;
  /** Kept enrolment photos whose faces were deleted: removed from storage by the job (retried until done). */
  deletePhotoKeys: string[];
}

/** Cluster the unnamed face tracks a video's faces stage just stored. */
export interface FacesClusterPayload {
  userId: string;
  videoId: string;
  run: number;
}

export interface UserPurgePayload {
  userId: string;
  /** When the purge was asked for (ISO): part of the job id, so a later purge of the same user runs again. */
  requestedAt: string;
  /** Who asked: the Supabase webhook or an admin. */
  reason: 'user.deleted' | 'admin';
}

/** Run by a BullMQ Job Scheduler; the payload says what started it. */
export interface AuditRetentionPayload {
  trigger: 'schedule' | 'manual';
}

/** Payloads of the jobs that are not pipeline stages. */
interface MaintenancePayloads {
  [JobName.VideoPurge]: VideoPurgePayload;
  [JobName.ReembedScenes]: ReembedScenesPayload;
  [JobName.UserPurge]: UserPurgePayload;
  [JobName.AuditRetention]: AuditRetentionPayload;
  [JobName.FacesRematch]: FacesRematchPayload;
  [JobName.FacesCluster]: FacesClusterPayload;
}

/** Typed payload per job name. */
export type JobPayloads = {
  [N in JobName]: N extends keyof MaintenancePayloads ? MaintenancePayloads[N] : StageJobPayload;
};

/** Which queue runs each job: stages as the pipeline graph declares, the rest on the maintenance queue. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  ...(Object.fromEntries(PIPELINE.map((stage) => [stage, queueOfStage(stage)])) as Record<JobStage, QueueName>),
  ...(Object.fromEntries(Object.values(MaintenanceJobName).map((name) => [name, QueueName.Maintenance])) as Record<MaintenanceJobName, QueueName>),
};

/** Deterministic ids: enqueueing the same work twice is a no-op in BullMQ (which forbids ':' in custom ids). */
export function jobIdFor<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  switch (name) {
    case JobName.VideoPurge:
      return `${name}.${(payload as VideoPurgePayload).videoId}`;
    case JobName.ReembedScenes: {
      const p = payload as ReembedScenesPayload;
      return `${name}.${p.kind}.${p.model.replace(/[^a-zA-Z0-9._-]/g, '_')}`;
    }
    case JobName.FacesRematch: {
      const p = payload as FacesRematchPayload;
      return `${name}.${p.userId}.${p.revision}`;
    }
    case JobName.FacesCluster: {
      const p = payload as FacesClusterPayload;
      return `${name}.${p.videoId}.${p.run}`;
    }
    case JobName.UserPurge: {
      const p = payload as UserPurgePayload;
      return `${name}.${p.userId}.${Date.parse(p.requestedAt)}`;
    }
    case JobName.AuditRetention:
      return `${name}.${(payload as AuditRetentionPayload).trigger}`;
    default: {
      const p = payload as StageJobPayload;
      return `${name}.${p.videoId}.${p.run}`;
    }
  }
}

/** The stage job id `<stage>.<videoId>.<run>` taken apart; null for any other id. */
export function parseStageJobId(id: string): { name: StageJobName; videoId: string; run: number } | null {
  const m = /^([a-z_]+)\.([0-9a-f-]{36})\.(\d+)$/.exec(id);
  if (!m || !isJobName(m[1]) || m[1] in MAINTENANCE_JOB_NAMES) return null;
  return { name: m[1] as StageJobName, videoId: m[2], run: Number(m[3]) };
}

const MAINTENANCE_JOB_NAMES: Record<keyof MaintenancePayloads, true> = {
  [JobName.VideoPurge]: true,
  [JobName.ReembedScenes]: true,
  [JobName.UserPurge]: true,
  [JobName.AuditRetention]: true,
  [JobName.FacesRematch]: true,
  [JobName.FacesCluster]: true,
};

export function isJobName(value: string): value is JobName {
  return (Object.values(JobName) as string[]).includes(value);
}
