import {
  type DependencyList,
  type Dispatch,
  type SetStateAction,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { errorText } from '../api/client.ts';
import type { Page } from '../api/index.ts';

export interface CursorList<T> {
  /** The rows fetched so far (all pages). */
  items: T[];
  loading: boolean;
  /** Message to show (already in the user's language), or null. */
  error: string | null;
  /** Fetches the next page and appends it; undefined when there is none. */
  more: (() => void) | undefined;
  /** Local edits (a row added, changed or removed) without a refetch. */
  setItems: Dispatch<SetStateAction<T[]>>;
}

/**
 * A cursor-paged list: the first page when `deps` change (new filters), the next on `more()`.
 * Answers that arrive after a newer request started are dropped, so quick filter changes never
 * show a stale page.
 */
export function useCursorList<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: DependencyList,
): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(async (after: string | null) => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchRef.current(after ?? undefined);
      if (mine !== seq.current) return;
      setItems((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      if (mine === seq.current) setError(errorText(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  // The caller's deps (its filters) decide when to start over from the first page.
  useEffect(() => {
    void load(null);
  }, [load, ...deps]);

  return { items, loading, error, more: cursor ? () => void load(cursor) : undefined, setItems };
}
