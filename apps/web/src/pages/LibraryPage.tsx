import { useEffect, useState } from 'react';
import { api, errorMessage, ok, type Schemas } from '../api/client';
import { DropZone } from '../components/DropZone';
import { Notice } from '../components/Notice';
import { PageHead } from '../components/PageHead';
import { StateBadge } from '../components/StateBadge';
import { Stages } from '../components/Stages';
import { uploadVideo } from '../components/upload';
import { useAsync } from '../components/useAsync';
import { isTerminal, useVideoEvents } from '../components/useVideoEvents';
import { VideoActions } from '../components/VideoActions';
import { bytes, when } from '../format';
import { Link } from '../router';

const LIVE_STREAMS = 3;

export function LibraryPage() {
  const videos = useAsync(async () => ok(await api.GET('/v1/videos', { params: { query: { limit: 100 } } })).items, []);
  const [upload, setUpload] = useState<{ name: string; share: number } | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  // A browser holds at most 6 HTTP/1.1 connections per host: a few live streams, the rest refreshed by polling.
  const inFlight = (videos.data ?? []).filter((v) => !isTerminal(v.state) && v.state !== 'uploading').map((v) => v.id);
  const live = new Set(inFlight.slice(0, LIVE_STREAMS));
  const polled = inFlight.length > LIVE_STREAMS;
  useEffect(() => {
    if (!polled) return;
    const timer = setInterval(videos.reload, 5000);
    return () => clearInterval(timer);
  }, [polled, videos.reload]);

  const onFile = async (file: File) => {
    setMessage(null);
    setUpload({ name: file.name, share: 0 });
    try {
      await uploadVideo(file, (share) => setUpload({ name: file.name, share }));
      setMessage({ kind: 'success', text: `“${file.name}” is uploaded; Heimdex is indexing it.` });
      videos.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally {
      setUpload(null);
    }
  };

  return (
    <>
      <PageHead title="Library" />
      <section aria-label="Upload a video" className="card">
        <DropZone
          label="Choose a video"
          hint="or drop one here (MP4, MOV, WebM, MKV)"
          accept="video/*"
          onFile={(f) => void onFile(f)}
          disabled={upload !== null}
        />
        {upload && (
          <div className="upload-progress">
            <label htmlFor="upload-bar">
              Uploading {upload.name}: {Math.round(upload.share * 100)}%
            </label>
            <progress id="upload-bar" max={1} value={upload.share} />
          </div>
        )}
        {message && <Notice kind={message.kind}>{message.text}</Notice>}
      </section>
      {videos.error && <Notice kind="error">{videos.error}</Notice>}
      {videos.data?.length === 0 && <p className="empty">No videos yet. Upload one to get started.</p>}
      <ul className="video-list" aria-label="Your videos">
        {videos.data?.map((v) => (
          <VideoRow key={v.id} video={v} live={live.has(v.id)} onChange={videos.reload} onError={(text) => setMessage({ kind: 'error', text })} />
        ))}
      </ul>
    </>
  );
}

function VideoRow({
  video,
  live: streamed,
  onChange,
  onError,
}: {
  video: Schemas['VideoDto'];
  live: boolean;
  onChange: () => void;
  onError: (m: string) => void;
}) {
  const live = useVideoEvents(video.id, streamed);
  const state = live?.state ?? video.state;
  const progress = live?.progress ?? video.progress;
  const stages = live?.stages ?? video.stages;
  const name = video.title ?? video.filename;
  const [open, setOpen] = useState(false);
  return (
    <li className="video-row card" data-video-id={video.id} data-state={state}>
      <div className="video-main">
        <Link href={`/videos/${video.id}`} className="video-title">
          {name}
        </Link>
        <div className="meta muted">
          {bytes(video.sizeBytes)} · added {when(video.createdAt)}
          {video.durationS !== null && ` · ${Math.round(video.durationS)} s`}
        </div>
      </div>
      <div className="video-status">
        <StateBadge state={state} />
        <progress max={1} value={progress} aria-label={`Indexing progress of ${name}`} />
        <span className="muted small-text">{Math.round(progress * 100)}%</span>
        {stages.length > 0 && (
          <button className="ghost small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide stages' : 'Stages'}
          </button>
        )}
      </div>
      <VideoActions video={{ ...video, state }} onChange={onChange} onError={onError} />
      {(live?.error ?? video.error) && <p className="error-text full">{live?.error ?? video.error}</p>}
      {open && (
        <div className="full">
          <Stages stages={stages} />
        </div>
      )}
    </li>
  );
}
