import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/tables.ts';

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/**
 * PostgreSQL `bytea` as a Node Buffer. node-postgres (used in production for both PostgreSQL and
 * the embedded database, which it reaches through a socket) sends a Buffer parameter as binary and
 * parses bytea results into a Buffer. PGlite, used directly by tests, returns a plain Uint8Array,
 * so results are wrapped (no copy) to give callers a Buffer either way.
 */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  toDriver(value: Buffer): Buffer {
    return value;
  },
  fromDriver(value: Buffer | Uint8Array): Buffer {
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  },
});

/**
 * Uploaded photos, already normalized (oriented, metadata stripped, at most 2560 px) with a WebP
 * thumbnail. The bytes live in PostgreSQL rather than on a disk: instances behind a load balancer
 * are stateless and share no filesystem, so any of them can serve a photo another one received,
 * and a photo commits or rolls back with the ticket that refers to it, and is backed up with it.
 * Photos are capped (≤ 2560 px, a few hundred KB each), so the table stays manageable; PostgreSQL
 * moves the bytea values out of line (TOAST) on its own. Moving to object storage later would only
 * change this module.
 *
 * A file is uploaded first (owner_id null), then attached to the thing it documents (a ticket…)
 * by the same user; `scope_path` is the region path of that thing, for access checks.
 */
export const files = pgTable(
  'files',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** SHA-256 of `data` (the stored full-size image), hex: an ETag. */
    sha256: varchar('sha256', { length: 64 }).notNull(),
    mime: varchar('mime', { length: 32 }).notNull().$type<ImageMime>(),
    /** Bytes of `data`. */
    size: integer('size').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    data: bytea('data').notNull(),
    /** WebP, longer side at most 480 px. */
    thumb: bytea('thumb').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    scopePath: text('scope_path').notNull(),
    /** What the file belongs to: 'ticket', … */
    ownerKind: varchar('owner_kind', { length: 24 }).notNull(),
    /** Id of the owner; null until attached. */
    ownerId: bigint('owner_id', { mode: 'number' }),
  },
  (t) => [
    index('files_owner_idx').on(t.ownerKind, t.ownerId),
    /** Uploads never attached, for purging. */
    index('files_unattached_idx').on(t.createdAt).where(sql`${t.ownerId} is null`),
    check('files_mime_chk', sql`${t.mime} in ('image/jpeg','image/png','image/webp')`),
    check('files_size_chk', sql`${t.size} > 0`),
  ],
);
