/** Where a video's objects live. Every key of a video sits under its prefix, so a purge is one prefix delete. */
export const videoKeys = {
  prefix: (userId: string, videoId: string) => `videos/${userId}/${videoId}/`,
  source: (userId: string, videoId: string) => `videos/${userId}/${videoId}/source`,
  sidecar: (userId: string, videoId: string, format: 'json' | 'vtt' | 'srt') => `videos/${userId}/${videoId}/sidecar.${format}`,
};
