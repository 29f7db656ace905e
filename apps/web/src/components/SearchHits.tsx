import type { Schemas } from '../api/client';
import { clock, highlightParts, SIGNAL_LABELS } from '../format';
import { Link } from '../router';

/** Why a scene matched, in plain words: "on-screen text (0.61) · person (0.82)". */
function why(hit: Schemas['SearchHitDto']): string {
  const scores = hit.scores as Record<string, number | undefined>;
  return hit.matchedBy.map((m) => (scores[m] !== undefined ? `${SIGNAL_LABELS[m] ?? m} (${scores[m]!.toFixed(2)})` : (SIGNAL_LABELS[m] ?? m))).join(' · ');
}

export function SearchHits({ hits, titles }: { hits: Schemas['SearchHitDto'][]; titles: Map<string, string> }) {
  return (
    <ul className="grid" aria-label="Results">
      {hits.map((hit) => {
        const at = hit.matchStartS ?? hit.startS;
        return (
          <li key={hit.sceneId} className="tile" data-scene-id={hit.sceneId}>
            <Link
              href={`/videos/${hit.videoId}?t=${at.toFixed(1)}`}
              className="tile-button"
              aria-label={`Play ${titles.get(hit.videoId) ?? 'video'} from ${clock(at)}`}
            >
              {hit.thumbnailUrl ? <img src={hit.thumbnailUrl} alt="" loading="lazy" /> : <div className="thumb-empty" />}
              <span className="time">
                {clock(hit.startS)}–{clock(hit.endS)}
              </span>
            </Link>
            <div className="tile-body">
              <div className="tile-title">{titles.get(hit.videoId) ?? 'Video'}</div>
              {hit.highlight && (
                <p className="highlight">
                  {highlightParts(hit.highlight).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
                </p>
              )}
              <p className="why small-text">Matched by {why(hit)}</p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
