/** BullMQ queues: one per stage family, so heavy stages never starve light ones. */
export enum QueueName {
  Media = 'media',
  Maintenance = 'maintenance',
}

/**
 * Every job Heimdex runs. Pipeline stage jobs are named after their stage; the worker refuses
 * to start if any name here has no handler.
 */
export enum JobName {
  UploadValidate = 'upload_validate',
  VideoPurge = 'video_purge',
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

/** Typed payload per job name. */
export interface JobPayloads {
  [JobName.UploadValidate]: StageJobPayload;
  [JobName.VideoPurge]: VideoPurgePayload;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.UploadValidate]: QueueName.Media,
  [JobName.VideoPurge]: QueueName.Maintenance,
};

/** Deterministic ids: enqueueing the same work twice is a no-op in BullMQ (which forbids ':' in custom ids). */
export function jobIdFor<N extends JobName>(name: N, payload: JobPayloads[N]): string {
  switch (name) {
    case JobName.VideoPurge:
      return `${name}.${(payload as VideoPurgePayload).videoId}`;
    default: {
      const p = payload as StageJobPayload;
      return `${name}.${p.videoId}.${p.run}`;
    }
  }
}

export function isJobName(value: string): value is JobName {
  return (Object.values(JobName) as string[]).includes(value);
}
