import { AppError } from './errors.ts';

/** Cursors are opaque to clients; anything we did not issue is refused, never read as page one. */
export function decodeIdCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const s = Buffer.from(cursor, 'base64url').toString();
  if (!/^[1-9]\d{0,15}$/.test(s))
    throw new AppError('request.invalid', {}, [{ path: 'cursor', message: 'cursor' }]);
  return Number(s);
}

export function encodeIdCursor(id: number | undefined): string | null {
  return id === undefined ? null : Buffer.from(String(id)).toString('base64url');
}

/** Keyset paging: fetch `limit + 1` rows, return `limit` and a cursor after the last one. */
export function pageOf<T>(rows: T[], limit: number, idOf: (row: T) => number) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeIdCursor(idOf(last)) : null };
}
