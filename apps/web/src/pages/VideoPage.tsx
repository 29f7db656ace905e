import { useState } from 'react';
import { api, errorMessage, ok } from '../api/client';
import { Notice } from '../components/Notice';
import { PageHead } from '../components/PageHead';
import { Player } from '../components/Player';
import { StateBadge } from '../components/StateBadge';
import { Stages } from '../components/Stages';
import { useAsync } from '../components/useAsync';
import { isTerminal, useVideoEvents } from '../components/useVideoEvents';
import { VideoActions } from '../components/VideoActions';
import { clock } from '../format';
import { Link, navigate } from '../router';

export function VideoPage({ id, at }: { id: string; at: number }) {
  const video = useAsync(async () => ok(await api.GET('/v1/videos/{id}', { params: { path: { id } } })), [id]);
  const live = useVideoEvents(id, video.data !== undefined && !isTerminal(video.data.state) && video.data.state !== 'uploading');
  const state = live?.state ?? video.data?.state;
  const scenes = useAsync(async () => (state === 'indexed' ? ok(await api.GET('/v1/videos/{id}/scenes', { params: { path: { id } } })) : []), [id, state]);
  const [seek, setSeek] = useState({ at, token: 0 });
  const [error, setError] = useState<string | null>(null);

  if (video.error) return <Notice kind="error">{video.error}</Notice>;
  if (!video.data) return <p className="loading">Loading…</p>;
  const v = { ...video.data, ...(live ?? {}) };
  const name = v.title ?? v.filename;
  const playAt = (s: number) => {
    setSeek({ at: s, token: seek.token + 1 });
    navigate(`/videos/${id}?t=${s.toFixed(1)}`, { replace: true });
  };

  return (
    <>
      <PageHead title={name} back={{ href: '/', label: 'Library' }}>
        <StateBadge state={v.state} />
      </PageHead>
      {error && <Notice kind="error">{error}</Notice>}
      <div className="video-layout">
        <div>
          {v.state === 'uploading' ? (
            <Notice>The upload has not finished.</Notice>
          ) : (
            <Player videoId={id} at={seek.at || at} seekToken={seek.token} title={name} />
          )}
          <VideoActions video={v} onChange={() => (v.state === 'deleted' ? navigate('/') : video.reload())} onError={(m) => setError(m)} />
          {v.description && <p>{v.description}</p>}
        </div>
        <aside className="card" aria-label="Indexing">
          <h2>Indexing {Math.round(v.progress * 100)}%</h2>
          <progress max={1} value={v.progress} aria-label="Indexing progress" />
          {v.error && <p className="error-text">{v.error}</p>}
          <Stages stages={v.stages} />
        </aside>
      </div>
      {scenes.error && <Notice kind="error">{errorMessage(scenes.error)}</Notice>}
      {scenes.data && scenes.data.length > 0 && (
        <section aria-label="Scenes">
          <h2>Scenes</h2>
          <ul className="grid">
            {scenes.data.map((s) => (
              <li key={s.id} className="tile" data-scene-id={s.id}>
                <button className="tile-button" onClick={() => playAt(s.startS)} aria-label={`Play from ${clock(s.startS)}`}>
                  {s.thumbnailUrl ? <img src={s.thumbnailUrl} alt="" loading="lazy" /> : <div className="thumb-empty" />}
                  <span className="time">
                    {clock(s.startS)}–{clock(s.endS)}
                  </span>
                </button>
                <div className="tile-body">
                  {s.people.length > 0 && (
                    <div className="chips">
                      {s.people.map((p) => (
                        <Link key={p.personId} className="chip" href={`/people/${p.personId}`}>
                          {p.name}
                        </Link>
                      ))}
                    </div>
                  )}
                  {s.ocrText && <p className="small-text">On screen: {s.ocrText}</p>}
                  {s.transcript && <p className="small-text muted">“{s.transcript}”</p>}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
