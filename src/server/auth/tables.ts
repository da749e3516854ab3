import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { ROLES } from '../../contracts/roles.ts';
import { departments } from '../geo/tables.ts';

export const users = pgTable(
  'users',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    phone: varchar('phone', { length: 20 }).notNull(),
    name: text('name').notNull(),
    /** argon2id PHC string; null for accounts that only sign in with an SMS code. */
    passwordHash: text('password_hash'),
    locale: varchar('locale', { length: 8 }).notNull().default('zh-CN'),
    disabled: boolean('disabled').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Sessions issued before this instant are invalid ("log out everywhere"). */
    sessionsValidAfter: timestamp('sessions_valid_after', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_phone_uq').on(t.phone)],
);

/**
 * A role held on one node of a hierarchy. `scopePath` is the materialized path of the node
 * (region, compound, grid or department jurisdiction): every visibility check is a prefix match on it.
 */
export const grants = pgTable(
  'grants',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: varchar('role', { length: 24 }).notNull(),
    scopePath: text('scope_path').notNull(),
    /** Kind of node: region, compound, grid, household, department. */
    nodeKind: varchar('node_kind', { length: 12 }).notNull(),
    /** Region code, or the numeric id of the compound/grid/household/department, as text. */
    nodeRef: varchar('node_ref', { length: 20 }).notNull(),
    departmentId: bigint('department_id', { mode: 'number' }).references(() => departments.id),
    grantedBy: bigint('granted_by', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grants_user_role_node_uq').on(t.userId, t.role, t.nodeKind, t.nodeRef),
    index('grants_scope_idx').using('btree', t.scopePath.op('text_pattern_ops')),
    check('grants_role_chk', sql.raw(`role in (${ROLES.map((r) => `'${r}'`).join(',')})`)),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token, hex; the token itself is never stored. */
    tokenHash: varchar('token_hash', { length: 64 }).primaryKey(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: inet('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** SMS one-time codes. Only a hash of the code is stored. */
export const otpCodes = pgTable(
  'otp_codes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    phone: varchar('phone', { length: 20 }).notNull(),
    codeHash: varchar('code_hash', { length: 64 }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('otp_phone_idx').on(t.phone, t.createdAt)],
);

/**
 * Fixed-window counters shared by every instance (login throttling, SMS sending).
 * Key like "login:ip:1.2.3.4" with the window's start.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [uniqueIndex('rate_limits_pk').on(t.key, t.windowStart)],
);

/** Every write and every read of unmasked personal data. Never updated or deleted by the app. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: bigint('actor_user_id', { mode: 'number' }),
    action: varchar('action', { length: 64 }).notNull(),
    entity: varchar('entity', { length: 32 }).notNull(),
    entityId: varchar('entity_id', { length: 40 }),
    /** Scope of the touched row, so admins see only audit entries inside their part of the tree. */
    scopePath: text('scope_path'),
    ip: inet('ip'),
    detail: jsonb('detail'),
  },
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_scope_idx').using('btree', t.scopePath.op('text_pattern_ops')),
    index('audit_actor_idx').on(t.actorUserId, t.at),
  ],
);
