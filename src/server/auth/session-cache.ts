import type { LiveEvent } from '../core/events.ts';
import type { sessionWithUser } from './repo.ts';

export type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionWithUser>>>;

/** Short: it bounds how long a lost invalidation could matter (normally it takes milliseconds). */
export const DEFAULT_SESSION_CACHE_MS = 10_000;

interface Entry {
  row: SessionRow;
  at: number;
}

/**
 * Signed-in sessions (session, user, grants) kept in memory for `ttlMs`, so a request does not
 * start with a database round trip. Every change to a user's grants, account or sessions is
 * announced by a database trigger (migration 0008) on the live-events channel, and each instance
 * forgets that user at once; the TTL only bounds how long a lost notification could matter, and a
 * lost one is followed by `resync`, which empties the cache.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a row read before one is not stored after it. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 20_000,
  ) {}

  async get(
    tokenHash: string,
    nowMs: number,
    load: () => Promise<SessionRow | undefined>,
  ): Promise<SessionRow | undefined> {
    const hit = this.entries.get(tokenHash);
    if (hit && nowMs >= hit.at && nowMs - hit.at < this.ttlMs) return hit.row;
    if (hit) this.entries.delete(tokenHash);
    const generation = this.generation;
    const row = await load();
    if (row && this.ttlMs > 0 && generation === this.generation) {
      // Oldest first out: a Map iterates in insertion order.
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(tokenHash, { row, at: nowMs });
    }
    return row;
  }

  forget(tokenHash: string) {
    this.generation++;
    this.entries.delete(tokenHash);
  }

  forgetUser(userId: number) {
    this.generation++;
    for (const [hash, e] of this.entries) if (e.row.user.id === userId) this.entries.delete(hash);
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }

  /** Subscribe this to the instance's event bus. */
  readonly onEvent = (e: LiveEvent) => {
    if (e.kind === 'session') this.forgetUser(e.userId);
    else if (e.kind === 'resync') this.clear();
  };
}
