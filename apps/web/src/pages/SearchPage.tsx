import { type FormEvent, useMemo, useState } from 'react';
import { api, ApiError, authorisedFetch, errorMessage, ok, type Schemas } from '../api/client';
import { DropZone } from '../components/DropZone';
import { Notice } from '../components/Notice';
import { PageHead } from '../components/PageHead';
import { SearchHits } from '../components/SearchHits';
import { useAsync } from '../components/useAsync';
import { SIGNAL_LABELS } from '../format';
import { navigate } from '../router';

const MODES = ['transcript', 'ocr', 'visual', 'person', 'tag'] as const;
type Mode = (typeof MODES)[number];

export function SearchPage({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const filters = {
    videoId: query.get('videoId') ?? '',
    personId: query.get('personId') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
    modes: (query.get('modes') ?? '').split(',').filter(Boolean) as Mode[],
  };
  const videos = useAsync(async () => ok(await api.GET('/v1/videos', { params: { query: { limit: 100, state: 'indexed' } } })).items, []);
  const people = useAsync(async () => ok(await api.GET('/v1/people', { params: { query: { limit: 100 } } })).items, []);
  const titles = useMemo(() => new Map((videos.data ?? []).map((v) => [v.id, v.title ?? v.filename])), [videos.data]);
  const key = query.toString();
  const results = useAsync(async () => {
    if (!q) return null;
    return ok(
      await api.GET('/v1/search', {
        params: {
          query: {
            q,
            limit: 40,
            ...(filters.videoId && { videoId: filters.videoId }),
            ...(filters.personId && { personId: filters.personId }),
            ...(filters.from && { from: new Date(filters.from).toISOString() }),
            ...(filters.to && { to: new Date(`${filters.to}T23:59:59`).toISOString() }),
            ...(filters.modes.length && { modes: filters.modes }),
          },
        },
      }),
    );
  }, [key]);
  const [imageHits, setImageHits] = useState<{ items: Schemas['SearchHitDto'][] } | null>(null);
  const [imageError, setImageError] = useState<string | null>(null);
  const [text, setText] = useState(q);
  const [draft, setDraft] = useState(filters);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (text.trim()) p.set('q', text.trim());
    for (const k of ['videoId', 'personId', 'from', 'to'] as const) if (draft[k]) p.set(k, draft[k]);
    if (draft.modes.length) p.set('modes', draft.modes.join(','));
    setImageHits(null);
    navigate(`/search?${p.toString()}`);
  };

  const searchByImage = async (file: File) => {
    setImageError(null);
    setImageHits(null);
    const form = new FormData();
    form.set('image', file);
    try {
      const res = await authorisedFetch('/v1/search/image', { method: 'POST', body: form });
      setImageHits((await res.json()) as { items: Schemas['SearchHitDto'][] });
    } catch (err) {
      setImageError(
        err instanceof ApiError && err.status === 503
          ? `Search by picture needs a CLIP model, and none is installed on this server (${err.message}). Text search still works.`
          : errorMessage(err),
      );
    }
  };

  const toggleMode = (m: Mode) => setDraft({ ...draft, modes: draft.modes.includes(m) ? draft.modes.filter((x) => x !== m) : [...draft.modes, m] });
  const shown = imageHits ?? results.data;

  return (
    <>
      <PageHead title="Search" />
      <form role="search" className="card search-form" onSubmit={submit}>
        <div className="search-row">
          <label htmlFor="q" className="visually-hidden">
            Search your videos
          </label>
          <input id="q" type="search" placeholder="Words spoken or shown, a person’s name, a tag…" value={text} onChange={(e) => setText(e.target.value)} />
          <button className="primary">Search</button>
        </div>
        <details className="filters">
          <summary>Filters</summary>
          <div className="filter-grid">
            <label>
              Video
              <select value={draft.videoId} onChange={(e) => setDraft({ ...draft, videoId: e.target.value })}>
                <option value="">All videos</option>
                {videos.data?.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.title ?? v.filename}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Person
              <select value={draft.personId} onChange={(e) => setDraft({ ...draft, personId: e.target.value })}>
                <option value="">Anyone</option>
                {people.data?.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Added from
              <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
            </label>
            <label>
              Added until
              <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
            </label>
            <fieldset>
              <legend>Signals</legend>
              {MODES.map((m) => (
                <label key={m} className="check">
                  <input type="checkbox" checked={draft.modes.includes(m)} onChange={() => toggleMode(m)} />
                  {SIGNAL_LABELS[m]}
                </label>
              ))}
            </fieldset>
          </div>
        </details>
        <DropZone
          label="Search by picture"
          hint="or drop an image here to find scenes that look alike"
          accept="image/*"
          onFile={(f) => void searchByImage(f)}
        />
      </form>
      {imageError && <Notice kind="error">{imageError}</Notice>}
      {results.error && <Notice kind="error">{results.error}</Notice>}
      {results.data && !imageHits && results.data.unavailable.length > 0 && (
        <Notice>
          {results.data.unavailable.map((u) => (
            <span key={u.signal}>
              No {u.signal === 'visual' ? 'picture' : 'meaning'} search: {u.reason}.{' '}
            </span>
          ))}
        </Notice>
      )}
      {results.loading && q && <p className="loading">Searching…</p>}
      {shown && shown.items.length === 0 && <p className="empty">Nothing matched. Try other words, or fewer filters.</p>}
      {shown && shown.items.length > 0 && (
        <>
          <p className="muted" aria-live="polite">
            {shown.items.length} scene{shown.items.length === 1 ? '' : 's'}
            {imageHits ? ' that look alike' : ` for “${q}”`}
          </p>
          <SearchHits hits={shown.items} titles={titles} />
        </>
      )}
    </>
  );
}
