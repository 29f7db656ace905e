import { api, ApiError, ok, type Schemas } from '../api/client';

/**
 * Registers the video, PUTs the file straight to the presigned URL (XHR: fetch has no upload
 * progress), then tells the API the upload is complete.
 */
type VideoType = Schemas['CreateVideoDto']['contentType'];
const BY_EXTENSION: Record<string, VideoType> = {
  mp4: 'video/mp4',
  m4v: 'video/x-m4v',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  mpg: 'video/mpeg',
  mpeg: 'video/mpeg',
  ts: 'video/mp2t',
  ogv: 'video/ogg',
  '3gp': 'video/3gpp',
};

/** The browser's type for the file, else one from its extension; the API refuses anything else with a clear 415. */
function videoType(file: File): VideoType {
  return (file.type || BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || 'video/mp4') as VideoType;
}

export async function uploadVideo(file: File, onProgress: (share: number) => void): Promise<Schemas['VideoDto']> {
  const created = ok(
    await api.POST('/v1/videos', {
      body: { filename: file.name, contentType: videoType(file), sizeBytes: file.size, title: file.name.replace(/\.[^.]+$/, '') },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(created.upload.method, created.upload.url);
    for (const [k, v] of Object.entries(created.upload.headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () =>
      xhr.status < 300 ? resolve() : reject(new ApiError(xhr.status, `the upload was refused (${xhr.status}): ${xhr.responseText.slice(0, 200)}`));
    xhr.onerror = () => reject(new Error('the upload failed: the storage could not be reached'));
    xhr.send(file);
  });
  onProgress(1);
  return ok(await api.POST('/v1/videos/{id}/complete', { params: { path: { id: created.video.id } } })).video;
}
