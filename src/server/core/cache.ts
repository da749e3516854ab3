import type { LiveEvent, TableChanged } from './events.ts';

/** Reference data an instance may keep, and the tables whose changes make it stale. */
const FOLLOWS = {
  calendar_overrides: ['calendar_overrides'],
  compounds: ['compounds'],
  /** The items of the current responsibility list (a new version changes which list is current). */
  current_items: ['responsibility_items', 'responsibility_lists'],
} as const satisfies Record<string, readonly TableChanged['table'][]>;
export type CachedKey = keyof typeof FOLLOWS;
const STALE_ON = new Map<TableChanged['table'], CachedKey[]>();
for (const [key, tables] of Object.entries(FOLLOWS) as [CachedKey, readonly TableChanged['table'][]][])
  for (const t of tables) STALE_ON.set(t, [...(STALE_ON.get(t) ?? []), key]);

/**
 * Small reference tables kept in memory per instance. A database trigger announces every change
 * on the live-events channel (`{ kind: 'changed', table }`, migrations 0010 and 0012), and each instance
 * drops its copy; the TTL only bounds how long a lost notification could matter, and a lost one is
 * followed by `resync`, which drops everything.
 */
export class ReferenceCache {
  private readonly entries = new Map<CachedKey, { value: Promise<unknown>; at: number }>();

  constructor(private readonly ttlMs = 5 * 60_000) {}

  get<T>(key: CachedKey, nowMs: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && nowMs >= hit.at && nowMs - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    const entry = { value, at: nowMs };
    this.entries.set(key, entry);
    // A failed read is not kept: the next caller tries again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  forget(key: CachedKey) {
    this.entries.delete(key);
  }

  readonly onEvent = (e: LiveEvent) => {
    if (e.kind === 'changed') for (const key of STALE_ON.get(e.table) ?? []) this.forget(key);
    else if (e.kind === 'resync') this.entries.clear();
  };
}
