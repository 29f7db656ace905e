import { useEffect, useRef, useState } from 'react';
import { api, authorisedFetch, ok } from '../api/client';

/**
 * The video from its presigned playback URL, started at `at` seconds, with the transcript as a
 * captions track. The WebVTT comes from the API with the bearer header, so it is handed to the
 * <track> as a blob: URL.
 */
export function Player({ videoId, at, seekToken, title }: { videoId: string; at: number; seekToken: number; title: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [captions, setCaptions] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let url: string | null = null;
    let live = true;
    api.GET('/v1/videos/{id}/playback', { params: { path: { id: videoId } } }).then(
      (res) => live && setSrc(ok(res).url),
      (err: unknown) => live && setError(String(err)),
    );
    authorisedFetch(`/v1/videos/${videoId}/sidecar?format=vtt`)
      .then((res) => res.blob())
      .then((blob) => {
        url = URL.createObjectURL(new Blob([blob], { type: 'text/vtt' }));
        if (live) setCaptions(url);
      })
      .catch(() => {});
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [videoId]);

  useEffect(() => {
    const v = ref.current;
    if (!v || !src) return;
    const seek = () => {
      v.currentTime = at;
    };
    if (v.readyState >= 1) seek();
    else v.addEventListener('loadedmetadata', seek, { once: true });
    return () => v.removeEventListener('loadedmetadata', seek);
  }, [src, at, seekToken]);

  if (error) return <p className="error-text">{error}</p>;
  return (
    <div className="player">
      {src ? (
        <video ref={ref} src={src} controls preload="metadata" aria-label={`Player: ${title}`}>
          {captions && <track kind="captions" src={captions} srcLang="en" label="Transcript" default />}
        </video>
      ) : (
        <div className="player-placeholder">Loading the video…</div>
      )}
    </div>
  );
}
