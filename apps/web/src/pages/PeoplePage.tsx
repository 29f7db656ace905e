import { type FormEvent, useState } from 'react';
import { api, errorMessage, ok, type Schemas } from '../api/client';
import { Notice } from '../components/Notice';
import { PageHead } from '../components/PageHead';
import { useAsync } from '../components/useAsync';
import { clock } from '../format';
import { Link, navigate } from '../router';

export function PeoplePage() {
  const people = useAsync(async () => ok(await api.GET('/v1/people', { params: { query: { limit: 100 } } })).items, []);
  const clusters = useAsync(async () => ok(await api.GET('/v1/faces/clusters', { params: { query: { limit: 50 } } })).items, []);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const person = ok(await api.POST('/v1/people', { body: { name: name.trim() } }));
      navigate(`/people/${person.id}`);
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };

  return (
    <>
      <PageHead title="People" />
      <form className="card inline-form" onSubmit={(e) => void create(e)}>
        <label htmlFor="new-person">New person</label>
        <input id="new-person" value={name} onChange={(e) => setName(e.target.value)} placeholder="Name" required maxLength={200} />
        <button className="primary">Add</button>
      </form>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {people.error && <Notice kind="error">{people.error}</Notice>}
      {people.data?.length === 0 && <p className="empty">No people yet. Add someone, then enrol a photo of their face.</p>}
      <ul className="people-list" aria-label="Your people">
        {people.data?.map((p) => (
          <li key={p.id} className="card person-card">
            <Link href={`/people/${p.id}`} className="video-title">
              {p.name}
            </Link>
            <span className="muted small-text">
              {p.enrolledFaces} enrolled face{p.enrolledFaces === 1 ? '' : 's'} · in {p.scenes} scene{p.scenes === 1 ? '' : 's'}
            </span>
          </li>
        ))}
      </ul>
      <section aria-labelledby="unknown-faces">
        <h2 id="unknown-faces">Unknown faces</h2>
        <p className="muted">Faces seen in your videos that match nobody yet, grouped by likeness. Name a group to teach Heimdex who it is.</p>
        {clusters.error && <Notice kind="error">{clusters.error}</Notice>}
        {clusters.data?.length === 0 && <p className="empty">No unknown faces.</p>}
        <ul className="grid">
          {clusters.data?.map((c) => (
            <ClusterTile
              key={c.id}
              cluster={c}
              people={people.data ?? []}
              onDone={(text) => {
                setMessage({ kind: 'success', text });
                clusters.reload();
                people.reload();
              }}
              onError={(text) => setMessage({ kind: 'error', text })}
            />
          ))}
        </ul>
      </section>
    </>
  );
}

const NEW_PERSON = 'new';

/** A group of unknown faces: name it as someone new, or merge it into a person you already have. */
function ClusterTile(props: { cluster: Schemas['FaceClusterDto']; people: Schemas['PersonDto'][]; onDone: (m: string) => void; onError: (m: string) => void }) {
  const { cluster } = props;
  const [personId, setPersonId] = useState(props.people.length ? '' : NEW_PERSON);
  const [newName, setNewName] = useState('');
  const rep = cluster.representative;
  const assign = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const target = personId === NEW_PERSON ? ok(await api.POST('/v1/people', { body: { name: newName.trim() } })).id : personId;
      const res = ok(await api.POST('/v1/faces/clusters/{id}/assign', { params: { path: { id: cluster.id } }, body: { personId: target } }));
      props.onDone(`${res.named} face${res.named === 1 ? '' : 's'} named ${res.person.name}.`);
    } catch (err) {
      props.onError(errorMessage(err));
    }
  };
  return (
    <li className="tile">
      {rep ? (
        <Link href={`/videos/${rep.videoId}?t=${rep.startS.toFixed(1)}`} className="tile-button" aria-label={`Where this face appears, ${clock(rep.startS)}`}>
          {rep.thumbnailUrl ? <img src={rep.thumbnailUrl} alt="" loading="lazy" className="face" /> : <div className="thumb-empty" />}
          <span className="time">{clock(rep.startS)}</span>
        </Link>
      ) : (
        <div className="thumb-empty" />
      )}
      <form className="tile-body stack" onSubmit={(e) => void assign(e)}>
        <span className="small-text muted">
          {cluster.size} face{cluster.size === 1 ? '' : 's'} in {cluster.videos} video{cluster.videos === 1 ? '' : 's'}
        </span>
        <label className="small-text">
          This is
          <select value={personId} onChange={(e) => setPersonId(e.target.value)} required>
            <option value="">choose…</option>
            <option value={NEW_PERSON}>someone new</option>
            {props.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {personId === NEW_PERSON && (
          <label className="small-text">
            Their name
            <input value={newName} onChange={(e) => setNewName(e.target.value)} required maxLength={200} />
          </label>
        )}
        <button className="primary small" disabled={!personId}>
          {personId === NEW_PERSON || !personId ? 'Name them' : 'Merge into this person'}
        </button>
      </form>
    </li>
  );
}
