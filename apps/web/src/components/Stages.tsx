import type { Schemas } from '../api/client';
import { STAGE_LABELS } from '../format';

/** Each pipeline stage with its state; skipped ones say why, failed ones show their error. */
export function Stages({ stages }: { stages: Schemas['StageDto'][] }) {
  return (
    <ol className="stages" aria-label="Pipeline stages">
      {stages.map((s) => (
        <li key={s.stage} className={`stage stage-${s.state}`} data-stage={s.stage} data-state={s.state}>
          <span className="stage-dot" aria-hidden="true" />
          <span className="stage-name">{STAGE_LABELS[s.stage] ?? s.stage}</span>
          <span className="stage-state">{s.state}</span>
          {s.state === 'skipped' && s.error && <span className="stage-why">Skipped: {s.error}</span>}
          {s.state === 'failed' && s.error && <span className="stage-why error-text">Error: {s.error}</span>}
          {s.state === 'completed' && s.note && <span className="stage-why">{s.note}</span>}
        </li>
      ))}
    </ol>
  );
}
