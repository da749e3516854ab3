import { useEffect, useRef, useState } from 'react';
import { TICKETS_LIVE_URL } from '../api/index.ts';

/** A change in my queues, as the stream tells it: refetch through the ordinary routes. */
export type LiveChange = { kind: 'ticket'; id: number } | { kind: 'resync' };

/** Browsers give up on a stream answered with an error status: open a new one after this pause. */
const REOPEN_MS = 5_000;

/**
 * Listens to GET /tickets/live while mounted. Returns whether the stream is open now.
 * On any error the stream is closed and opened again after a pause (an EventSource does not retry
 * a non-200 answer, and a retry on its own would skip the resync this does).
 */
export function useTicketsLive(onChange: (c: LiveChange) => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onChange);
  handler.current = onChange;

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let stopped = false;
    let opened = false;

    const connect = () => {
      const es = new EventSource(TICKETS_LIVE_URL, { withCredentials: true });
      source = es;
      es.onopen = () => {
        setConnected(true);
        // Changes may have been missed while the stream was down.
        if (opened) handler.current({ kind: 'resync' });
        opened = true;
      };
      es.addEventListener('ticket', (e) => {
        try {
          const data = JSON.parse((e as MessageEvent<string>).data) as { id?: unknown };
          if (typeof data.id === 'number') handler.current({ kind: 'ticket', id: data.id });
        } catch {
          handler.current({ kind: 'resync' });
        }
      });
      es.addEventListener('resync', () => handler.current({ kind: 'resync' }));
      es.onerror = () => {
        es.close();
        if (source === es) source = null;
        setConnected(false);
        if (!stopped) timer = window.setTimeout(connect, REOPEN_MS);
      };
    };
    connect();

    return () => {
      stopped = true;
      window.clearTimeout(timer);
      source?.close();
      setConnected(false);
    };
  }, []);

  return connected;
}
