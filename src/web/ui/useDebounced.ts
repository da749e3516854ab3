import { useEffect, useState } from 'react';

/** What was typed, trimmed, once typing has paused: what a search-as-you-type box sends. */
export function useDebounced(value: string, ms = 300): string {
  const [v, setV] = useState(value.trim());
  useEffect(() => {
    const h = window.setTimeout(() => setV(value.trim()), ms);
    return () => window.clearTimeout(h);
  }, [value, ms]);
  return v;
}
