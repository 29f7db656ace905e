import { useEffect, useState } from 'react';
import { api, ok, type Schemas } from '../api/client';

export type Progress = Pick<Schemas['VideoDto'], 'id' | 'state' | 'progress' | 'stages' | 'error'>;

const TERMINAL = new Set(['indexed', 'failed', 'deleted']);
const MAX_RECONNECTS = 20;

/**
 * Live progress of one video over Server-Sent Events. EventSource cannot send the bearer header,
 * so each connection first gets a single-use ticket (POST .../events/ticket, with the header) and
 * opens `/events?ticket=`; a dropped connection gets a fresh ticket, never the same one again.
 */
export function useVideoEvents(id: string, active: boolean): Progress | null {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    if (!active) return;
    let source: EventSource | null = null;
    let closed = false;
    let reconnects = 0;
    const open = async () => {
      const { ticket } = ok(await api.POST('/v1/videos/{id}/events/ticket', { params: { path: { id } } }));
      if (closed) return;
      source = new EventSource(`/v1/videos/${id}/events?ticket=${encodeURIComponent(ticket)}`);
      source.addEventListener('progress', (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as Progress;
        reconnects = 0;
        setProgress(data);
        if (TERMINAL.has(data.state)) {
          closed = true;
          source?.close();
        }
      });
      source.onerror = () => {
        source?.close();
        if (!closed && reconnects++ < MAX_RECONNECTS) setTimeout(() => void open().catch(() => {}), 1000 * Math.min(reconnects, 5));
      };
    };
    void open().catch(() => {});
    return () => {
      closed = true;
      source?.close();
    };
  }, [id, active]);
  return progress;
}

export function isTerminal(state: string): boolean {
  return TERMINAL.has(state);
}
