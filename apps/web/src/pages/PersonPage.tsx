import { type FormEvent, useState } from 'react';
import { api, ApiError, authorisedFetch, errorMessage, ok } from '../api/client';
import { DropZone } from '../components/DropZone';
import { Notice } from '../components/Notice';
import { PageHead } from '../components/PageHead';
import { useAsync } from '../components/useAsync';
import { useSceneThumbs } from '../components/useSceneThumbs';
import { clock } from '../format';
import { Link, navigate } from '../router';

/** The API's 422 says how many faces it found; the console turns it into advice. */
function enrolmentAdvice(err: unknown): string {
  if (err instanceof ApiError && err.status === 422) {
    return /\b0\b|no face/i.test(err.message)
      ? `No face was found in that photo (${err.message}). Use a clear, front-facing photo where the face is not too small.`
      : `That photo has more than one face (${err.message}). Crop it so only this person’s face is in it.`;
  }
  if (err instanceof ApiError && err.status === 415) return `That file is not a photo Heimdex can read (${err.message}). Use a JPEG, PNG or WebP.`;
  return errorMessage(err);
}

export function PersonPage({ id }: { id: string }) {
  const person = useAsync(async () => ok(await api.GET('/v1/people/{id}', { params: { path: { id } } })), [id]);
  const appearances = useAsync(async () => ok(await api.GET('/v1/people/{id}/appearances', { params: { path: { id } } })), [id]);
  const others = useAsync(async () => ok(await api.GET('/v1/people', { params: { query: { limit: 100 } } })).items.filter((p) => p.id !== id), [id]);
  const thumbs = useSceneThumbs((appearances.data ?? []).map((a) => a.videoId));
  const [message, setMessage] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState<string | null>(null);
  const [mergeFrom, setMergeFrom] = useState('');

  const act = async (action: () => Promise<string | void>, onError = errorMessage) => {
    setMessage(null);
    try {
      const text = await action();
      if (text) setMessage({ kind: 'success', text });
      person.reload();
      appearances.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: onError(err) });
    }
  };
  const enrol = (file: File) =>
    void act(async () => {
      setBusy(true);
      const form = new FormData();
      form.set('image', file);
      try {
        await authorisedFetch(`/v1/people/${id}/faces`, { method: 'POST', body: form });
      } finally {
        setBusy(false);
      }
      return 'Face enrolled. Heimdex is looking for this person in your videos; appearances update in a moment.';
    }, enrolmentAdvice);

  if (person.error) return <Notice kind="error">{person.error}</Notice>;
  if (!person.data) return <p className="loading">Loading…</p>;
  const p = person.data;

  return (
    <>
      <PageHead title={p.name} back={{ href: '/people', label: 'People' }} />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <div className="two-col">
        <section className="card stack" aria-labelledby="enrol">
          <h2 id="enrol">Enrol a face</h2>
          <p className="muted">
            {p.enrolledFaces} face{p.enrolledFaces === 1 ? '' : 's'} enrolled. A photo with exactly one face teaches Heimdex who {p.name} is.
          </p>
          <DropZone label={busy ? 'Enrolling…' : 'Choose a photo'} hint="or drop one here" accept="image/*" onFile={enrol} disabled={busy} />
        </section>
        <section className="card stack" aria-labelledby="manage">
          <h2 id="manage">Manage</h2>
          <form
            className="inline-form"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              void act(async () => {
                ok(await api.PATCH('/v1/people/{id}', { params: { path: { id } }, body: { name: name ?? p.name } }));
                return 'Renamed.';
              });
            }}
          >
            <label htmlFor="person-name">Name</label>
            <input id="person-name" value={name ?? p.name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
            <button className="ghost small">Rename</button>
          </form>
          {others.data && others.data.length > 0 && (
            <form
              className="inline-form"
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                void act(async () => {
                  ok(await api.POST('/v1/people/{id}/merge', { params: { path: { id } }, body: { fromPersonId: mergeFrom } }));
                  others.reload();
                  return 'Merged.';
                });
              }}
            >
              <label htmlFor="merge-from">Merge in</label>
              <select id="merge-from" value={mergeFrom} onChange={(e) => setMergeFrom(e.target.value)} required>
                <option value="">another person…</option>
                {others.data.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
              <button className="ghost small" disabled={!mergeFrom}>
                Merge
              </button>
            </form>
          )}
          <button
            className="ghost small danger"
            onClick={() => {
              if (window.confirm(`Delete ${p.name}? Their enrolled faces are deleted; their scenes become unknown faces.`))
                void api.DELETE('/v1/people/{id}', { params: { path: { id } } }).then(() => navigate('/people'));
            }}
          >
            Delete {p.name}
          </button>
        </section>
      </div>
      <section aria-labelledby="appearances">
        <h2 id="appearances">Appearances</h2>
        {appearances.error && <Notice kind="error">{appearances.error}</Notice>}
        {appearances.data?.length === 0 && <p className="empty">Not seen in any video yet.</p>}
        <ul className="grid">
          {appearances.data?.map((a) => (
            <li key={a.sceneId} className="tile" data-scene-id={a.sceneId}>
              <Link href={`/videos/${a.videoId}?t=${a.startS.toFixed(1)}`} className="tile-button" aria-label={`Play from ${clock(a.startS)}`}>
                {thumbs.get(a.sceneId) ? <img src={thumbs.get(a.sceneId)} alt="" loading="lazy" /> : <div className="thumb-empty" />}
                <span className="time">
                  {clock(a.startS)}–{clock(a.endS)}
                </span>
              </Link>
              {a.confidence !== null && <div className="tile-body small-text muted">match {(a.confidence * 100).toFixed(0)}%</div>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
