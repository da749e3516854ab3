import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { OPEN_STATUSES, TICKET_STATUSES, type TicketStatus } from '../../contracts/ticket-states.ts';
import { auditLog, users } from '../auth/tables.ts';
import { EVENTS_CHANNEL } from '../core/events.ts';
import type { Db } from '../db/index.ts';
import {
  fromJsonRow,
  jsonRowOf,
  mapColumns,
  prepared,
  preparedStatement,
  rendered,
  runText,
} from '../db/sql.ts';
import { buildings, compounds, departments, regions } from '../geo/tables.ts';
import {
  calendarOverrides,
  notices,
  responsibilityCategories,
  responsibilityItems,
  responsibilityLists,
  ticketDispatches,
  ticketEvents,
  ticketFollowers,
  tickets,
} from './tables.ts';

export type TicketRow = typeof tickets.$inferSelect;
export type DispatchRow = typeof ticketDispatches.$inferSelect;
export type ItemRow = typeof responsibilityItems.$inferSelect;

// Responsibility list ------------------------------------------------------------------------------

export async function currentList(db: Db) {
  const [row] = await db
    .select()
    .from(responsibilityLists)
    .where(eq(responsibilityLists.current, true))
    .limit(1);
  return row;
}

/** An item of the current list (prepared: every report naming a matter asks this). */
export async function currentItemById(db: Db, id: number): Promise<ItemRow | undefined> {
  const q = prepared(db, 'current_item', (name) =>
    db
      .select({ item: responsibilityItems })
      .from(responsibilityItems)
      .innerJoin(
        responsibilityLists,
        and(eq(responsibilityLists.id, responsibilityItems.listId), eq(responsibilityLists.current, true)),
      )
      .where(eq(responsibilityItems.id, sql.placeholder('id')))
      .prepare(name),
  );
  const [row] = await q.execute({ id });
  return row?.item;
}

/** Every item of the current list (what an instance keeps, core/cache.ts). */
export async function currentItems(db: Db): Promise<ItemRow[]> {
  const rows = await db
    .select({ item: responsibilityItems })
    .from(responsibilityItems)
    .innerJoin(
      responsibilityLists,
      and(eq(responsibilityLists.id, responsibilityItems.listId), eq(responsibilityLists.current, true)),
    );
  return rows.map((r) => r.item);
}

export async function itemsOfList(db: Db, listId: number) {
  return db
    .select({
      item: responsibilityItems,
      categoryCode: responsibilityCategories.code,
      categoryName: responsibilityCategories.name,
    })
    .from(responsibilityItems)
    .innerJoin(responsibilityCategories, eq(responsibilityCategories.id, responsibilityItems.categoryId))
    .where(eq(responsibilityItems.listId, listId))
    .orderBy(asc(responsibilityCategories.sort), asc(responsibilityItems.sort));
}

export async function listByVersion(db: Db, version: string) {
  const [row] = await db.select().from(responsibilityLists).where(eq(responsibilityLists.version, version));
  return row;
}

export async function categoriesOfList(db: Db, listId: number) {
  return db
    .select()
    .from(responsibilityCategories)
    .where(eq(responsibilityCategories.listId, listId))
    .orderBy(asc(responsibilityCategories.sort), asc(responsibilityCategories.id));
}

/** Every version, newest first, with its size and the tickets routed under it. */
export async function listVersions(db: Db) {
  return db
    .select({
      list: responsibilityLists,
      publishedByName: users.name,
      categoryCount: sql<number>`(select count(*)::int from ${responsibilityCategories} c where c.list_id = ${responsibilityLists.id})`,
      itemCount: sql<number>`(select count(*)::int from ${responsibilityItems} i where i.list_id = ${responsibilityLists.id})`,
      ticketCount: sql<number>`(select count(*)::int from ${tickets} t join ${responsibilityItems} i on i.id = t.item_id where i.list_id = ${responsibilityLists.id})`,
    })
    .from(responsibilityLists)
    .leftJoin(users, eq(users.id, responsibilityLists.publishedBy))
    .orderBy(desc(responsibilityLists.publishedAt), desc(responsibilityLists.id));
}

/**
 * Publishes a list as the only current one. Serialised by an advisory lock, so two publications
 * at once cannot both become current (the partial unique index would refuse the second anyway).
 */
export async function insertList(
  db: Db,
  v: {
    version: string;
    note: string | null;
    by: number | null;
    at: Date;
    categories: { code: string; name: string }[];
    items: (Omit<typeof responsibilityItems.$inferInsert, 'listId' | 'categoryId'> & {
      categoryCode: string;
    })[];
  },
) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('responsibility-publish'))`);
  await db.update(responsibilityLists).set({ current: false }).where(eq(responsibilityLists.current, true));
  const [list] = await db
    .insert(responsibilityLists)
    .values({ version: v.version, current: true, publishedAt: v.at, publishedBy: v.by, note: v.note })
    .returning();
  if (!list) throw new Error('list not inserted');
  const cats = await db
    .insert(responsibilityCategories)
    .values(v.categories.map((c, i) => ({ listId: list.id, code: c.code, name: c.name, sort: i })))
    .returning({ id: responsibilityCategories.id, code: responsibilityCategories.code });
  const catId = new Map(cats.map((c) => [c.code, c.id]));
  await db.insert(responsibilityItems).values(
    v.items.map(({ categoryCode, ...it }, i) => ({
      ...it,
      listId: list.id,
      categoryId: catId.get(categoryCode) as number,
      sort: i,
    })),
  );
  return list;
}

export async function itemById(db: Db, id: number) {
  const [row] = await db
    .select({ item: responsibilityItems, categoryName: responsibilityCategories.name })
    .from(responsibilityItems)
    .innerJoin(responsibilityCategories, eq(responsibilityCategories.id, responsibilityItems.categoryId))
    .where(eq(responsibilityItems.id, id))
    .limit(1);
  return row;
}

export async function calendarOverrideRows(db: Db) {
  return db.select().from(calendarOverrides);
}

// Tickets ---------------------------------------------------------------------------------------

/** A new ticket's row as intake sends it, with what goes beside it (event, audit). */
export type IntakeRow = Pick<
  TicketRow,
  | 'channel'
  | 'itemId'
  | 'description'
  | 'private'
  | 'urgent'
  | 'reporterUserId'
  | 'createdBy'
  | 'contactName'
  | 'contactPhone'
  | 'communityCode'
  | 'countyCode'
  | 'compoundId'
  | 'buildingId'
  | 'path'
  | 'lat'
  | 'lng'
  | 'place'
  | 'idempotencyKey'
> & {
  /** Shanghai date of the report (YYYY-MM-DD): its number counts within the day. */
  day: string;
  at: Date;
  acceptDueAt: Date;
  acceptWarnAt: Date;
  eventData: Record<string, unknown>;
  auditDetail: Record<string, unknown>;
  ip: string | null;
};

const p = sql.placeholder;

/** See intakeTicket. */
const INTAKE = preparedStatement<{
  detail: Record<string, unknown> | null;
  existing_id: string | null;
  building_ok: boolean;
}>(
  'ticket_intake',
  sql`
    with dup as (
      select id from ${tickets}
      where ${p('idempotencyKey')}::text is not null and created_by = ${p('createdBy')}::bigint
        and idempotency_key = ${p('idempotencyKey')}::text
    ),
    place_ok as (
      select ${p('buildingId')}::bigint is null or exists (
        select 1 from ${buildings} b where b.id = ${p('buildingId')}::bigint and b.compound_id = ${p('compoundId')}::bigint
      ) as ok
    ),
    n as (
      select gongzhi_ticket_number(${p('day')}::date) as last
      where not exists (select 1 from dup) and (select ok from place_ok)
    ),
    t as (
      insert into ${tickets} (number, channel, status, item_id, description, private, urgent,
        reporter_user_id, created_by, contact_name, contact_phone, community_code, county_code,
        compound_id, building_id, path, lat, lng, place, accept_due_at, accept_warn_at,
        idempotency_key, created_at, updated_at)
      select ${p('dayPrefix')} || '-' || lpad(n.last::text, 6, '0'), ${p('channel')}::text,
        'submitted', ${p('itemId')}::bigint, ${p('description')}::text, ${p('private')}::boolean,
        ${p('urgent')}::boolean, ${p('reporterUserId')}::bigint, ${p('createdBy')}::bigint,
        ${p('contactName')}::text, ${p('contactPhone')}::text, ${p('communityCode')}::text,
        ${p('countyCode')}::text, ${p('compoundId')}::bigint, ${p('buildingId')}::bigint, ${p('path')}::text,
        ${p('lat')}::float8, ${p('lng')}::float8, ${p('place')}::text, ${p('acceptDueAt')}::timestamptz,
        ${p('acceptWarnAt')}::timestamptz, ${p('idempotencyKey')}::text, ${p('at')}::timestamptz,
        ${p('at')}::timestamptz
      from n
      on conflict (created_by, idempotency_key) do nothing
      returning *
    ),
    e as (
      insert into ${ticketEvents} (ticket_id, at, actor_user_id, kind, to_status, public, data)
      select t.id, ${p('at')}::timestamptz, ${p('createdBy')}::bigint, 'submit', 'submitted', true,
        ${p('eventJson')}::jsonb
      from t
      returning *
    ),
    f as (
      insert into ${ticketFollowers} (ticket_id, user_id, reason, at)
      select t.id, ${p('reporterUserId')}::bigint, 'reporter', ${p('at')}::timestamptz
      from t where ${p('reporterUserId')}::bigint is not null
    ),
    s as (
      insert into ${notices} (channel, phone, ticket_id, kind, to_status, created_at)
      select 'sms', ${p('contactPhone')}::text, t.id, 'submit', 'submitted', ${p('at')}::timestamptz
      from t where ${p('reporterUserId')}::bigint is null and ${p('contactPhone')}::text is not null
    ),
    a as (
      insert into ${auditLog} (at, actor_user_id, action, entity, entity_id, scope_path, ip, detail)
      select ${p('at')}::timestamptz, ${p('createdBy')}::bigint, 'ticket.create', 'ticket', t.id::text,
        ${p('path')}::text, ${p('ip')}::inet, ${p('auditJson')}::jsonb
      from t
    ),
    p as (
      select pg_notify(${EVENTS_CHANNEL}, json_build_object('kind', 'ticket', 'id', t.id,
        'status', 'submitted', 'path', ${p('path')}::text, 'fromPath', null,
        'departmentIds', json_build_array(), 'reporterUserId', ${p('reporterUserId')}::bigint,
        'followerUserId', null, 'at', ${p('atIso')}::text)::text)
      from t
    )
    -- The new ticket as its detail reads it (the statement cannot read back its own rows).
    select (
        select json_build_object(
          'ticket', ${jsonRowOf(tickets, 't')},
          'itemName', i.name, 'handlerLevel', i.handler_level, 'extensionLimit', i.extension_limit,
          'categoryName', (select c.name from ${responsibilityCategories} c where c.id = i.category_id),
          'communityName', (select r.name from ${regions} r where r.code = t.community_code),
          'compoundName', (select c.name from ${compounds} c where c.id = t.compound_id),
          'buildingName', (select b.name from ${buildings} b where b.id = t.building_id),
          'mergedIntoNumber', null,
          'following', t.reporter_user_id is not null,
          'dispatches', json_build_array(),
          'events', json_build_array(json_build_object('event', ${jsonRowOf(ticketEvents, 'e')},
            'actorName', (select u.name from ${users} u where u.id = e.actor_user_id),
            'departmentName', null)))
        from t cross join e left join ${responsibilityItems} i on i.id = t.item_id
      ) as detail,
      (select id from dup) as existing_id, (select ok from place_ok) as building_ok,
      (select count(*) from p) as notified
  `,
);

/**
 * A new ticket in one statement: its number (gongzhi_ticket_number, which locks nothing), the row,
 * the first timeline event, the reporter as follower (or an SMS to a caller without an account),
 * the audit entry and the live event; a named building must be in the named compound. A key the
 * creator already used returns that ticket's id as `existingId`; two requests racing with one key
 * may leave a gap in the day's numbers, never a second ticket.
 */
export async function intakeTicket(
  db: Db,
  v: IntakeRow,
): Promise<{ detail: DetailRow } | { existingId: number | null } | { buildingNotInCompound: true }> {
  const rows = await INTAKE.run(db, {
    ...v,
    dayPrefix: v.day.replaceAll('-', ''),
    atIso: v.at.toISOString(),
    eventJson: JSON.stringify(v.eventData),
    auditJson: JSON.stringify(v.auditDetail),
  });
  const r = rows[0];
  if (r?.detail) return { detail: detailFromJson(r.detail) };
  if (r && !r.existing_id && !r.building_ok) return { buildingNotInCompound: true };
  return { existingId: r?.existing_id ? Number(r.existing_id) : null };
}

export async function ticketByIdempotencyKey(db: Db, createdBy: number, key: string) {
  const [row] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.createdBy, createdBy), eq(tickets.idempotencyKey, key)))
    .limit(1);
  return row?.id;
}

export async function ticketVisible(db: Db, id: number, visible: SQL, forUpdate = false) {
  const q = db
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, id), visible))
    .limit(1);
  const [row] = await (forUpdate ? q.for('update') : q);
  return row;
}

export async function ticketByIdRaw(db: Db, id: number) {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id)).limit(1);
  return row;
}

export async function updateTicket(
  db: Db,
  id: number,
  fromStatus: string,
  patch: Partial<typeof tickets.$inferInsert>,
) {
  const rows = await db
    .update(tickets)
    .set(patch)
    .where(and(eq(tickets.id, id), eq(tickets.status, fromStatus as TicketRow['status'])))
    .returning({ id: tickets.id });
  return rows.length === 1;
}

/** What a list row shows of a ticket: reading and mapping all 42 columns took most of a list's time. */
const SUMMARY_COLUMNS = {
  id: tickets.id,
  number: tickets.number,
  status: tickets.status,
  channel: tickets.channel,
  description: tickets.description,
  place: tickets.place,
  urgent: tickets.urgent,
  private: tickets.private,
  createdAt: tickets.createdAt,
  acceptDueAt: tickets.acceptDueAt,
  resolveDueAt: tickets.resolveDueAt,
};
export type SummaryTicket = Pick<TicketRow, keyof typeof SUMMARY_COLUMNS>;

/**
 * A status written into the statement's text rather than passed as a value: with the value a
 * parameter, the generic plan of a department's stage queue was costed at twice the custom one (220
 * dispatches guessed against 9), so PostgreSQL planned it again on every request (0.5 ms) for the
 * same plan. Ten statuses make at most ten statements of a shape.
 */
export function statusLiteral(status: TicketStatus): SQL {
  if (!TICKET_STATUSES.includes(status)) throw new RangeError(`unknown ticket status ${status}`);
  return sql.raw(`'${status}'`);
}

/** The page's own columns, then the ids its names are read by. */
const PAGE_COLUMNS = [
  ...Object.values(SUMMARY_COLUMNS),
  tickets.itemId,
  tickets.communityCode,
  tickets.compoundId,
  tickets.buildingId,
];
/**
 * The list statement up to its filter, rendered once. Names by scalar subqueries, not joins:
 * planning the joins around the page still took ~1 ms, longer than reading the page; each
 * subquery is planned alone as one index probe (0.4 ms in all).
 */
const LIST_HEAD = rendered(sql`
  select page.*,
    (select i.name from ${responsibilityItems} i where i.id = page.item_id) as item_name,
    (select c.name from ${responsibilityItems} i join ${responsibilityCategories} c
      on c.id = i.category_id where i.id = page.item_id) as category_name,
    (select r.name from ${regions} r where r.code = page.community_code) as community_name,
    (select c.name from ${compounds} c where c.id = page.compound_id) as compound_name,
    (select b.name from ${buildings} b where b.id = page.building_id) as building_name
  from (select ${sql.join(PAGE_COLUMNS, sql`, `)} from ${tickets}`).sql;
const LIST_ORDER = rendered(sql`order by ${tickets.id} desc`).sql;
const listText = (where: string, limit: number) =>
  `${LIST_HEAD} where ${where} ${LIST_ORDER} limit ${limit}) page order by page.id desc`;

/**
 * A page of tickets with the names a list shows. The page is chosen first in a subquery and only
 * its rows get names: with the five joins in one query, PostgreSQL spent 8–11 ms planning every
 * request (1M tickets) for 1–5 ms of execution. Only the filter is rendered per request: building
 * the whole query with drizzle's builder (twice, to name it) took 0.5 ms of the server's CPU.
 */
export async function listTickets(
  db: Db,
  where: SQL,
  beforeId: number | null,
  limit: number,
  /** Run as a named prepared statement: only where every plan is driven by one index whatever the
   * values (a department's dispatches), since PostgreSQL soon settles on a generic plan. Write
   * the status filters with `statusLiteral`. */
  prepare = false,
) {
  const w = rendered(beforeId === null ? where : (and(where, lt(tickets.id, beforeId)) as SQL));
  // The limit is written into the text: a generic plan takes `limit $n` for a tenth of the rows,
  // costs it far above the custom plan, and PostgreSQL would go on planning every request.
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`bad page size ${limit}`);
  const text = listText(w.sql, limit + 1);
  // Named by its text: one statement per shape of filters, the values are parameters.
  const name = prepare
    ? `tickets_page_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    : undefined;
  const rows = await runText<Record<string, unknown>>(db, text, w.params, name);
  return rows.map((r) => ({
    ticket: mapColumns(SUMMARY_COLUMNS, r) as SummaryTicket,
    itemName: r.item_name as string | null,
    categoryName: r.category_name as string | null,
    communityName: r.community_name as string,
    compoundName: r.compound_name as string | null,
    buildingName: r.building_name as string | null,
  }));
}

/** Prepared: PostgreSQL took 2–4 ms to plan its seven joins, 0.3 ms to run them. */
function prepareDetail(db: Db, name: string) {
  const merged = alias(tickets, 'merged_into');
  const userId = sql.placeholder('userId');
  return db
    .select({
      ticket: tickets,
      itemName: responsibilityItems.name,
      handlerLevel: responsibilityItems.handlerLevel,
      extensionLimit: responsibilityItems.extensionLimit,
      categoryName: responsibilityCategories.name,
      communityName: regions.name,
      compoundName: compounds.name,
      buildingName: buildings.name,
      mergedIntoNumber: merged.number,
      following: sql<boolean>`exists (select 1 from ${ticketFollowers} f where f.ticket_id = ${tickets.id} and f.user_id = ${userId})`,
      dispatches: sql<Record<string, unknown>[]>`coalesce((select json_agg(json_build_object(
        'dispatch', ${jsonRowOf(ticketDispatches, 'd')}, 'departmentName', dep.name) order by d.id)
        from ${ticketDispatches} d join ${departments} dep on dep.id = d.department_id
        where d.ticket_id = ${tickets.id}), '[]'::json)`,
      events: sql<Record<string, unknown>[]>`coalesce((select json_agg(json_build_object(
        'event', ${jsonRowOf(ticketEvents, 'e')}, 'actorName', u.name,
        -- A probe per event: joined, the generic plan hashed all 600 departments on every read.
        'departmentName', (select dep.name from ${departments} dep where dep.id = e.department_id)) order by e.at, e.id)
        from ${ticketEvents} e left join ${users} u on u.id = e.actor_user_id
        where e.ticket_id = ${tickets.id}), '[]'::json)`,
    })
    .from(tickets)
    .leftJoin(responsibilityItems, eq(responsibilityItems.id, tickets.itemId))
    .leftJoin(responsibilityCategories, eq(responsibilityCategories.id, responsibilityItems.categoryId))
    .innerJoin(regions, eq(regions.code, tickets.communityCode))
    .leftJoin(compounds, eq(compounds.id, tickets.compoundId))
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .leftJoin(merged, eq(merged.id, tickets.mergedIntoId))
    .where(eq(tickets.id, sql.placeholder('id')))
    .prepare(name);
}

/**
 * One ticket as its detail shows it, in one round trip: the list row's names, the item's rules,
 * whether `userId` follows it, the ticket it was merged into, its dispatches and its timeline.
 * Who may see it is the caller's check (policy.canSee): the statement's text must not depend on
 * the actor for it to stay prepared.
 */
export async function ticketDetail(db: Db, id: number, userId: number) {
  const q = prepared(db, 'ticket_detail', (name) => prepareDetail(db, name));
  const [row] = await q.execute({ id, userId });
  if (!row) return undefined;
  return { ...row, dispatches: dispatchesFromJson(row.dispatches), events: eventsFromJson(row.events) };
}

export type DetailRow = NonNullable<Awaited<ReturnType<typeof ticketDetail>>>;

const dispatchesFromJson = (list: Record<string, unknown>[]) =>
  list.map((d) => ({
    dispatch: fromJsonRow(ticketDispatches, d.dispatch as Record<string, unknown>),
    departmentName: d.departmentName as string,
  }));

const eventsFromJson = (list: Record<string, unknown>[]) =>
  list.map((e) => ({
    event: fromJsonRow(ticketEvents, e.event as Record<string, unknown>),
    actorName: e.actorName as string | null,
    departmentName: e.departmentName as string | null,
  }));

function detailFromJson(j: Record<string, unknown>): DetailRow {
  return {
    ...(j as Omit<DetailRow, 'ticket' | 'dispatches' | 'events'>),
    ticket: fromJsonRow(tickets, j.ticket as Record<string, unknown>),
    dispatches: dispatchesFromJson(j.dispatches as Record<string, unknown>[]),
    events: eventsFromJson(j.events as Record<string, unknown>[]),
  };
}

export async function dispatchesOf(db: Db, ticketId: number) {
  return db
    .select({ dispatch: ticketDispatches, departmentName: departments.name })
    .from(ticketDispatches)
    .innerJoin(departments, eq(departments.id, ticketDispatches.departmentId))
    .where(eq(ticketDispatches.ticketId, ticketId))
    .orderBy(asc(ticketDispatches.id));
}

export async function insertDispatches(db: Db, rows: (typeof ticketDispatches.$inferInsert)[]) {
  if (rows.length) await db.insert(ticketDispatches).values(rows);
}

export async function setDispatchStatus(
  db: Db,
  ticketId: number,
  departmentId: number,
  patch: Partial<typeof ticketDispatches.$inferInsert>,
) {
  await db
    .update(ticketDispatches)
    .set(patch)
    .where(and(eq(ticketDispatches.ticketId, ticketId), eq(ticketDispatches.departmentId, departmentId)));
}

export async function insertEvent(db: Db, values: typeof ticketEvents.$inferInsert) {
  await db.insert(ticketEvents).values(values);
}

export async function eventsOf(db: Db, ticketId: number) {
  return db
    .select({ event: ticketEvents, actorName: users.name, departmentName: departments.name })
    .from(ticketEvents)
    .leftJoin(users, eq(users.id, ticketEvents.actorUserId))
    .leftJoin(departments, eq(departments.id, ticketEvents.departmentId))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.at), asc(ticketEvents.id));
}

export async function follow(
  db: Db,
  ticketId: number,
  userId: number,
  reason: 'reporter' | 'plusOne' | 'merged',
  at: Date,
) {
  await db.insert(ticketFollowers).values({ ticketId, userId, reason, at }).onConflictDoNothing();
}

/** Open tickets the user follows (newest first), for their live stream. */
export async function followedOpenTicketIds(db: Db, userId: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: ticketFollowers.ticketId })
    .from(ticketFollowers)
    .innerJoin(tickets, eq(tickets.id, ticketFollowers.ticketId))
    .where(and(eq(ticketFollowers.userId, userId), inArray(tickets.status, [...OPEN_STATUSES])))
    .orderBy(desc(ticketFollowers.at))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function isFollowing(db: Db, ticketId: number, userId: number) {
  const [row] = await db
    .select({ u: ticketFollowers.userId })
    .from(ticketFollowers)
    .where(and(eq(ticketFollowers.ticketId, ticketId), eq(ticketFollowers.userId, userId)))
    .limit(1);
  return row !== undefined;
}

export async function followersOf(db: Db, ticketId: number) {
  return db.select().from(ticketFollowers).where(eq(ticketFollowers.ticketId, ticketId));
}

export async function departmentsByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(departments).where(inArray(departments.id, ids));
}

/** The compound nearest to a point, within `maxMetres` (equirectangular distance: fine at city scale). */
export async function nearestCompound(db: Db, lat: number, lng: number, maxMetres: number) {
  const k = Math.cos((lat * Math.PI) / 180);
  const dist = sql<number>`sqrt(power((${compounds.lat} - ${lat}) * 111320, 2) + power((${compounds.lng} - ${lng}) * 111320 * ${k}, 2))`;
  const [row] = await db
    .select({ compound: compounds, dist })
    .from(compounds)
    .where(
      and(
        sql`${compounds.lat} between ${lat - maxMetres / 111320} and ${lat + maxMetres / 111320}`,
        sql`${compounds.lng} between ${lng - maxMetres / (111320 * k)} and ${lng + maxMetres / (111320 * k)}`,
      ),
    )
    .orderBy(dist)
    .limit(1);
  return row && row.dist <= maxMetres ? row.compound : undefined;
}

/**
 * Open public tickets in a compound or within `metres` of a point (box prefilter, then distance),
 * reported in the last `days` days, with follower counts; the caller ranks them by text.
 */
export async function nearbyOpenTickets(
  db: Db,
  q: { compoundId?: number; lat?: number; lng?: number; metres: number; since: Date; viewerId: number },
) {
  const near: SQL[] = [];
  if (q.compoundId) near.push(sql`t.compound_id = ${q.compoundId}`);
  let dist: SQL = sql`null::float8`;
  if (q.lat !== undefined && q.lng !== undefined) {
    const k = Math.cos((q.lat * Math.PI) / 180);
    const dLat = q.metres / 111320;
    const dLng = q.metres / (111320 * k);
    const lat = sql`coalesce(t.lat, c.lat)`;
    const lng = sql`coalesce(t.lng, c.lng)`;
    dist = sql`sqrt(power((${lat} - ${q.lat}) * 111320, 2) + power((${lng} - ${q.lng}) * 111320 * ${k}, 2))`;
    near.push(
      sql`(${lat} between ${q.lat - dLat} and ${q.lat + dLat} and ${lng} between ${q.lng - dLng} and ${q.lng + dLng} and ${dist} <= ${q.metres})`,
    );
  }
  if (near.length === 0) return [];
  const res = (await db.execute(sql`
    select t.id, t.number, t.status, t.description, t.compound_id as "compoundId", t.created_at as "createdAt",
      i.name as "itemName", r.name as "communityName", c.name as "compoundName", t.place,
      ${dist} as distance,
      (select count(*)::int from ticket_followers f where f.ticket_id = t.id) as followers,
      exists (select 1 from ticket_followers f where f.ticket_id = t.id and f.user_id = ${q.viewerId}) as following
    from tickets t
    join regions r on r.code = t.community_code
    left join compounds c on c.id = t.compound_id
    left join responsibility_items i on i.id = t.item_id
    where t.private = false
      and t.status in ('submitted', 'accepted', 'whistled', 'inProgress')
      and t.created_at >= ${q.since}
      and (${sql.join(near, sql` or `)})
    order by t.id desc
    limit 200`)) as unknown as {
    rows: {
      id: number;
      number: string;
      status: TicketRow['status'];
      description: string;
      compoundId: number | null;
      createdAt: Date | string;
      itemName: string | null;
      communityName: string;
      compoundName: string | null;
      place: string | null;
      distance: number | null;
      followers: number;
      following: boolean;
    }[];
  };
  return res.rows;
}

// Notices ---------------------------------------------------------------------------------------

/** One in-app notice per follower except the actor, in the mover's transaction. */
export async function noticeFollowers(
  db: Db,
  n: { ticketId: number; kind: string; toStatus: string | null; at: Date; exceptUserId: number | null },
) {
  await db.execute(sql`
    insert into notices (channel, user_id, ticket_id, kind, to_status, created_at)
    select 'app', f.user_id, ${n.ticketId}, ${n.kind}, ${n.toStatus}, ${n.at}
    from ticket_followers f
    where f.ticket_id = ${n.ticketId} and f.user_id is distinct from ${n.exceptUserId}`);
}

export async function queueSms(
  db: Db,
  n: { ticketId: number; phone: string; kind: string; toStatus: string | null; at: Date },
) {
  await db.insert(notices).values({
    channel: 'sms',
    phone: n.phone,
    ticketId: n.ticketId,
    kind: n.kind,
    toStatus: n.toStatus as TicketRow['status'] | null,
    createdAt: n.at,
  });
}

export async function noticesOf(db: Db, userId: number, beforeId: number | null, limit: number) {
  return db
    .select({
      notice: notices,
      number: tickets.number,
      itemName: responsibilityItems.name,
      description: sql<string>`left(${tickets.description}, 40)`,
    })
    .from(notices)
    .innerJoin(tickets, eq(tickets.id, notices.ticketId))
    .leftJoin(responsibilityItems, eq(responsibilityItems.id, tickets.itemId))
    .where(and(eq(notices.userId, userId), beforeId === null ? undefined : lt(notices.id, beforeId)))
    .orderBy(desc(notices.id))
    .limit(limit + 1);
}

export async function unreadCount(db: Db, userId: number) {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notices)
    .where(and(eq(notices.userId, userId), sql`${notices.readAt} is null`));
  return r?.n ?? 0;
}

export async function markRead(db: Db, userId: number, ids: number[] | 'all', at: Date) {
  await db
    .update(notices)
    .set({ readAt: at })
    .where(
      and(
        eq(notices.userId, userId),
        sql`${notices.readAt} is null`,
        ids === 'all' ? undefined : inArray(notices.id, ids.length ? ids : [-1]),
      ),
    );
}

/** Claims a batch of unsent SMS; the row locks keep another instance from sending them too. */
/**
 * Leases unsent SMS until `leaseUntil`: another instance (or a later round) takes them only once
 * the lease has run out, so a sender that died mid-batch delays them rather than losing them.
 */
export async function claimSms(db: Db, limit: number, now: Date, leaseUntil: Date) {
  const res = (await db.execute(sql`
    with due as (
      select id from notices
      where channel = 'sms' and sent_at is null and attempts < 5 and (lease_until is null or lease_until < ${now})
      order by id limit ${limit} for update skip locked)
    update notices n set lease_until = ${leaseUntil}
    from due, tickets t
    where n.id = due.id and t.id = n.ticket_id
    returning n.id, n.phone, n.kind, n.to_status as "toStatus", t.number`)) as unknown as {
    rows: { id: number; phone: string; kind: string; toStatus: string | null; number: string }[];
  };
  return res.rows.sort((a, b) => Number(a.id) - Number(b.id));
}

export async function smsResult(db: Db, id: number, sentAt: Date | null) {
  await db
    .update(notices)
    .set(sentAt ? { sentAt, leaseUntil: null } : { attempts: sql`${notices.attempts} + 1`, leaseUntil: null })
    .where(eq(notices.id, id));
}

/**
 * Reports whose item the handlers confirmed (resolved and not rated unsatisfied), routing's
 * lessons, from every list version: item codes are stable across versions, so what was
 * learnt under an older list still teaches the current one (codes it dropped are ignored).
 */
export async function resolvedExamples(db: Db, limit: number) {
  return db
    .select({ text: tickets.description, itemCode: responsibilityItems.code })
    .from(tickets)
    .innerJoin(responsibilityItems, eq(responsibilityItems.id, tickets.itemId))
    .where(
      and(
        inArray(tickets.status, ['resolved', 'confirmed', 'closed']),
        sql`${tickets.outcome} is distinct from 'unsatisfied'`,
      ),
    )
    .orderBy(desc(tickets.id))
    .limit(limit);
}

export async function upsertCalendarOverride(
  db: Db,
  v: { day: string; workday: boolean; note: string | null; by: number; at: Date },
) {
  await db
    .insert(calendarOverrides)
    .values({ day: v.day, workday: v.workday, note: v.note, updatedBy: v.by, updatedAt: v.at })
    .onConflictDoUpdate({
      target: calendarOverrides.day,
      set: { workday: v.workday, note: v.note, updatedBy: v.by, updatedAt: v.at },
    });
}

export async function deleteCalendarOverride(db: Db, day: string) {
  const rows = await db.delete(calendarOverrides).where(eq(calendarOverrides.day, day)).returning();
  return rows.length > 0;
}

/** Everyone following `from` follows `to` as well (one statement, whatever the count). */
export async function copyFollowers(db: Db, from: number, to: number, at: Date) {
  await db.execute(sql`
    insert into ticket_followers (ticket_id, user_id, reason, at)
    select ${to}, user_id, 'merged', ${at} from ticket_followers where ticket_id = ${from}
    on conflict do nothing`);
}
