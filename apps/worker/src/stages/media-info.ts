import type { Video } from '@heimdex/db';

/** Whether upload_validate's ffprobe found an audio stream. */
export function hasAudio(video: Video): boolean {
  const streams = (video.mediaInfo?.streams ?? []) as { type?: string }[];
  return streams.some((s) => s.type === 'audio');
}
