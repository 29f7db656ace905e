/** Where a video's objects live. Every key of a video sits under its prefix, so a purge is one prefix delete. */
const base = (userId: string, videoId: string) => `videos/${userId}/${videoId}/`;

export const videoKeys = {
  /** Every video of one user. */
  userPrefix: (userId: string) => `videos/${userId}/`,
  prefix: base,
  source: (userId: string, videoId: string) => `${base(userId, videoId)}source`,
  sidecar: (userId: string, videoId: string, format: 'json' | 'vtt' | 'srt') => `${base(userId, videoId)}sidecar.${format}`,
  /** 16 kHz mono WAV of the first audio stream. */
  speechAudio: (userId: string, videoId: string) => `${base(userId, videoId)}audio/speech.wav`,
  loudness: (userId: string, videoId: string) => `${base(userId, videoId)}audio/loudness.json`,
  transcript: (userId: string, videoId: string) => `${base(userId, videoId)}asr/transcript.json`,
  /** Captions a user added (PUT /v1/videos/:id/captions), as parsed cues. */
  userCaptions: (userId: string, videoId: string) => `${base(userId, videoId)}captions/user.json`,
  framesPrefix: (userId: string, videoId: string) => `${base(userId, videoId)}frames/`,
  frame: (userId: string, videoId: string, sceneIndex: number, timeS: number) =>
    `${base(userId, videoId)}frames/${String(sceneIndex).padStart(5, '0')}-${Math.round(timeS * 1000)}.jpg`,
  thumbnailsPrefix: (userId: string, videoId: string) => `${base(userId, videoId)}thumbnails/`,
  thumbnail: (userId: string, videoId: string, sceneIndex: number) => `${base(userId, videoId)}thumbnails/${String(sceneIndex).padStart(5, '0')}.webp`,
  facesPrefix: (userId: string, videoId: string) => `${base(userId, videoId)}faces/`,
  face: (userId: string, videoId: string, faceId: string) => `${base(userId, videoId)}faces/${faceId}.webp`,
};
