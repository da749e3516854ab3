import { createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import { type LiveChange, useTicketsLive } from '../ui/useTicketsLive.ts';

type Listener = (c: LiveChange) => void;
const Listeners = createContext<Set<Listener> | null>(null);

/**
 * One live stream for the whole phone app while signed in (a browser allows few connections per
 * host): the reporter and followers hear of their tickets' moves, and each page listens here.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>()).current;
  useTicketsLive((c) => {
    for (const l of listeners) l(c);
  });
  return <Listeners.Provider value={listeners}>{children}</Listeners.Provider>;
}

/** Calls `onChange` for every change heard while the component is mounted. */
export function useLiveChanges(onChange: Listener): void {
  const listeners = useContext(Listeners);
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    if (!listeners) return;
    const l: Listener = (c) => handler.current(c);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, [listeners]);
}
