import { PipelineJob, Video, VideoState, DONE_JOB_STATES } from '@heimdex/db';
import { userFacingReason } from '@heimdex/observability';
import { PIPELINE } from '@heimdex/queue';
import type { StageDto, VideoDto } from './dto/video.dto';

/** Entity → response, with stages in pipeline order and progress as the share of stages done. */
export function toVideoDto(video: Video, jobs: PipelineJob[]): VideoDto {
  const ordered = [...jobs].sort((a, b) => PIPELINE.indexOf(a.stage) - PIPELINE.indexOf(b.stage));
  const stages: StageDto[] = ordered.map((j) => ({
    stage: j.stage,
    state: j.state,
    attempts: j.attempts,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    ...(j.error ? { error: userFacingReason(j.error) } : {}),
    ...(j.model ? { model: j.model } : {}),
    ...(j.note ? { note: userFacingReason(j.note) } : {}),
  }));
  const progress = video.state === VideoState.Indexed ? 1 : ordered.length ? ordered.filter((j) => DONE_JOB_STATES.has(j.state)).length / PIPELINE.length : 0;
  return {
    id: video.id,
    state: video.state,
    progress: Math.round(progress * 1000) / 1000,
    title: video.title,
    description: video.description,
    filename: video.filename,
    contentType: video.contentType,
    sizeBytes: video.sizeBytes,
    durationS: video.durationS,
    width: video.width,
    height: video.height,
    language: video.language,
    contentRating: video.contentRating,
    // Rows written before reasons were cleaned at the source may still hold paths.
    error: video.error === null ? null : userFacingReason(video.error),
    stages,
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    uploadedAt: video.uploadedAt,
    indexedAt: video.indexedAt,
  };
}
