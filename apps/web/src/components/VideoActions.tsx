import { type FormEvent, useState } from 'react';
import { api, errorMessage, ok, type Schemas } from '../api/client';

/** Rename, reprocess (when failed or indexed) and delete one video. */
export function VideoActions({ video, onChange, onError }: { video: Schemas['VideoDto']; onChange: () => void; onError: (msg: string) => void }) {
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(video.title ?? video.filename);
  const run = async (action: () => Promise<unknown>) => {
    try {
      await action();
      onChange();
    } catch (err) {
      onError(errorMessage(err));
    }
  };
  const rename = (e: FormEvent) => {
    e.preventDefault();
    setRenaming(false);
    void run(async () => ok(await api.PATCH('/v1/videos/{id}', { params: { path: { id: video.id } }, body: { title } })));
  };
  const name = video.title ?? video.filename;
  if (renaming) {
    return (
      <form className="inline-form" onSubmit={rename}>
        <label className="visually-hidden" htmlFor={`title-${video.id}`}>
          New title for {name}
        </label>
        <input id={`title-${video.id}`} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus required maxLength={300} />
        <button className="primary small">Save</button>
        <button type="button" className="ghost small" onClick={() => setRenaming(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className="actions">
      <button className="ghost small" onClick={() => setRenaming(true)} aria-label={`Rename ${name}`}>
        Rename
      </button>
      {(video.state === 'failed' || video.state === 'indexed') && (
        <button
          className="ghost small"
          aria-label={`Reprocess ${name}`}
          onClick={() => void run(async () => ok(await api.POST('/v1/videos/{id}/reprocess', { params: { path: { id: video.id } } })))}
        >
          Reprocess
        </button>
      )}
      <button
        className="ghost small danger"
        aria-label={`Delete ${name}`}
        onClick={() => {
          if (window.confirm(`Delete “${name}”? Its scenes and files are removed.`))
            void run(async () => ok(await api.DELETE('/v1/videos/{id}', { params: { path: { id: video.id } } })));
        }}
      >
        Delete
      </button>
    </div>
  );
}
