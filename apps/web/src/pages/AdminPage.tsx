import { type FormEvent, useState } from 'react';
import { api, authorisedFetch, errorMessage, ok, type Schemas } from '../api/client';
import { Notice } from '../components/Notice';
import { PageHead, TableHead } from '../components/PageHead';
import { useAsync } from '../components/useAsync';
import { when } from '../format';

type AuditFilters = { action: string; actorId: string; resourceType: string; from: string; to: string };
const EMPTY: AuditFilters = { action: '', actorId: '', resourceType: '', from: '', to: '' };

function auditQuery(f: AuditFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.action) q.action = f.action;
  if (f.actorId) q.actorId = f.actorId;
  if (f.resourceType) q.resourceType = f.resourceType;
  if (f.from) q.from = new Date(f.from).toISOString();
  if (f.to) q.to = new Date(`${f.to}T23:59:59`).toISOString();
  return q;
}

export function AdminPage() {
  const [message, setMessage] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const report = (kind: 'error' | 'success' | 'info', text: string) => setMessage({ kind, text });
  return (
    <>
      <PageHead title="Admin" />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <Queues report={report} />
      <Audit report={report} />
    </>
  );
}

function Queues({ report }: { report: (kind: 'error' | 'success' | 'info', text: string) => void }) {
  const queues = useAsync(async () => ok(await api.GET('/v1/admin/queues')).items, []);
  const toggle = async (q: Schemas['QueueDto']) => {
    try {
      if (q.paused) ok(await api.POST('/v1/admin/queues/{name}/resume', { params: { path: { name: q.name } } }));
      else ok(await api.POST('/v1/admin/queues/{name}/pause', { params: { path: { name: q.name } } }));
      report('success', `Queue ${q.name} ${q.paused ? 'resumed' : 'paused'}.`);
      queues.reload();
    } catch (err) {
      report('error', errorMessage(err));
    }
  };
  const openBoard = async () => {
    const tab = window.open('', '_blank');
    try {
      const { url } = ok(await api.POST('/v1/admin/board/session'));
      if (tab) tab.location.href = url;
      else window.location.href = url;
    } catch (err) {
      tab?.close();
      report('error', errorMessage(err));
    }
  };
  return (
    <section className="card" aria-labelledby="queues">
      <div className="section-head">
        <h2 id="queues">Queues</h2>
        <div className="actions">
          <button className="ghost small" onClick={queues.reload}>
            Refresh
          </button>
          <button className="ghost small" onClick={() => void openBoard()}>
            Open the queue dashboard
          </button>
        </div>
      </div>
      {queues.error && <Notice kind="error">{queues.error}</Notice>}
      <div className="table-wrap">
        <table>
          <TableHead columns={['Queue', 'Waiting', 'Active', 'Delayed', 'Failed', 'Completed', '(Action)']} />
          <tbody>
            {queues.data?.map((q) => (
              <tr key={q.name} data-queue={q.name}>
                <th scope="row">
                  {q.name} {q.paused && <span className="badge warn">paused</span>}
                </th>
                <td>{q.counts.waiting + q.counts.prioritized + q.counts.waitingChildren}</td>
                <td>{q.counts.active}</td>
                <td>{q.counts.delayed}</td>
                <td>{q.counts.failed}</td>
                <td>{q.counts.completed}</td>
                <td>
                  <button className="ghost small" onClick={() => void toggle(q)}>
                    {q.paused ? 'Resume' : 'Pause'} <span className="visually-hidden">{q.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Audit({ report }: { report: (kind: 'error' | 'success' | 'info', text: string) => void }) {
  const [draft, setDraft] = useState<AuditFilters>(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>(EMPTY);
  const [cursor, setCursor] = useState<string | undefined>();
  const page = useAsync(
    async () => ok(await api.GET('/v1/admin/audit', { params: { query: { ...auditQuery(filters), limit: 50, cursor } } })),
    [filters, cursor],
  );
  const [verifying, setVerifying] = useState(false);

  const verify = async () => {
    setVerifying(true);
    try {
      const r = ok(await api.GET('/v1/admin/audit/verify'));
      if (r.ok)
        report(
          'success',
          `The audit chain is intact: ${r.checked} event${r.checked === 1 ? '' : 's'} checked${r.unsealed ? `, ${r.unsealed} not sealed yet` : ''}.`,
        );
      else report('error', `The audit chain is broken at event ${r.firstBadId ?? '?'}${r.reason ? `: ${r.reason}` : ''}.`);
    } catch (err) {
      report('error', errorMessage(err));
    } finally {
      setVerifying(false);
    }
  };
  const exportAs = async (format: 'csv' | 'ndjson') => {
    try {
      const q = new URLSearchParams({ ...auditQuery(filters), format });
      const blob = await (await authorisedFetch(`/v1/admin/audit/export?${q.toString()}`)).blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `heimdex-audit.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) {
      report('error', errorMessage(err));
    }
  };
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setCursor(undefined);
    setFilters(draft);
  };
  const field = (k: keyof AuditFilters, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
    </label>
  );

  return (
    <section className="card" aria-labelledby="audit">
      <div className="section-head">
        <h2 id="audit">Audit trail</h2>
        <div className="actions">
          <button className="primary small" onClick={() => void verify()} disabled={verifying}>
            {verifying ? 'Verifying…' : 'Verify the chain'}
          </button>
          <button className="ghost small" onClick={() => void exportAs('csv')}>
            Export CSV
          </button>
          <button className="ghost small" onClick={() => void exportAs('ndjson')}>
            Export NDJSON
          </button>
        </div>
      </div>
      <form className="filter-grid" onSubmit={apply} aria-label="Audit filters">
        {field('action', 'Action')}
        {field('actorId', 'Actor id')}
        {field('resourceType', 'Resource type')}
        {field('from', 'From', 'date')}
        {field('to', 'Until', 'date')}
        <div className="filter-buttons">
          <button className="primary small">Apply</button>
          <button
            type="button"
            className="ghost small"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
              setCursor(undefined);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {page.error && <Notice kind="error">{page.error}</Notice>}
      <div className="table-wrap">
        <table className="audit">
          <TableHead columns={['When', 'Actor', 'Action', 'Resource', 'Outcome', 'Sealed']} />
          <tbody>
            {page.data?.items.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td title={e.actorId ?? ''}>
                  {e.actorRole}
                  {e.actorId && <span className="muted small-text"> {e.actorId.slice(0, 8)}</span>}
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td title={e.resourceId ?? ''}>
                  {e.resourceType ?? '—'}
                  {e.resourceId && <span className="muted small-text"> {e.resourceId.slice(0, 8)}</span>}
                </td>
                <td>
                  <span className={`state outcome-${e.outcome}`}>{e.outcome}</span>
                </td>
                <td>{e.hash ? `#${e.chainSeq}` : 'pending'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.data?.items.length === 0 && <p className="empty">No events match.</p>}
      <div className="pager">
        {cursor && (
          <button className="ghost small" onClick={() => setCursor(undefined)}>
            First page
          </button>
        )}
        {page.data?.nextCursor && (
          <button className="ghost small" onClick={() => setCursor(page.data!.nextCursor ?? undefined)}>
            Older events
          </button>
        )}
      </div>
    </section>
  );
}
