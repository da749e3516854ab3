import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { listNotices } from '../api/index.ts';
import { useLiveChanges } from './live.tsx';

/** Unread notices, asked again on every page change (one small request) and on return to the app. */
export function useUnreadNotices(): number {
  const { pathname } = useLocation();
  const [unread, setUnread] = useState(0);
  const [tick, setTick] = useState(0);

  // A move on one of my tickets (by someone else) may have brought a notice. Staff on the phone
  // hear of their whole area, so a burst of moves asks once.
  const pending = useRef<number | undefined>(undefined);
  useLiveChanges(() => {
    window.clearTimeout(pending.current);
    pending.current = window.setTimeout(() => setTick((n) => n + 1), 1_000);
  });
  useEffect(() => () => window.clearTimeout(pending.current), []);

  useEffect(() => {
    const again = () => document.visibilityState === 'visible' && setTick((n) => n + 1);
    document.addEventListener('visibilitychange', again);
    return () => document.removeEventListener('visibilitychange', again);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetched on navigation and on return
  useEffect(() => {
    let live = true;
    listNotices({ limit: 1 })
      .then((p) => live && setUnread(p.unread))
      // A badge only: keep the last count when offline.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [pathname, tick]);

  return unread;
}
