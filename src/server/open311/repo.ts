import { and, asc, desc, eq, gte, inArray, isNull, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { TicketStatus } from '../../contracts/tickets.ts';
import { users } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';
import { compounds, departments, regions } from '../geo/tables.ts';
import {
  responsibilityCategories,
  responsibilityItems,
  ticketDispatches,
  ticketEvents,
  tickets,
} from '../tickets/tables.ts';
import { open311Clients } from './tables.ts';

export type ClientRow = typeof open311Clients.$inferSelect;

// Clients ---------------------------------------------------------------------------------------

export async function insertClient(db: Db, values: typeof open311Clients.$inferInsert): Promise<ClientRow> {
  const [row] = await db.insert(open311Clients).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function clientByKeyHash(db: Db, keyHash: string) {
  const [row] = await db.select().from(open311Clients).where(eq(open311Clients.keyHash, keyHash)).limit(1);
  return row;
}

export async function touchClient(db: Db, id: number, at: Date) {
  await db.update(open311Clients).set({ lastUsedAt: at }).where(eq(open311Clients.id, id));
}

const clientColumns = {
  client: open311Clients,
  countyName: regions.name,
  countyPath: regions.path,
  createdByName: users.name,
};

/** Clients whose county's path matches `visible`, newest first. */
export async function listClients(db: Db, visible: SQL) {
  return db
    .select(clientColumns)
    .from(open311Clients)
    .innerJoin(regions, eq(regions.code, open311Clients.countyCode))
    .leftJoin(users, eq(users.id, open311Clients.createdBy))
    .where(visible)
    .orderBy(desc(open311Clients.id));
}

export async function clientById(db: Db, id: number, visible: SQL, forUpdate = false) {
  const q = db
    .select(clientColumns)
    .from(open311Clients)
    .innerJoin(regions, eq(regions.code, open311Clients.countyCode))
    .leftJoin(users, eq(users.id, open311Clients.createdBy))
    .where(and(eq(open311Clients.id, id), visible))
    .limit(1);
  const [row] = await (forUpdate ? q.for('update', { of: open311Clients }) : q);
  return row;
}

/** Revokes once: a second revocation keeps the first instant. */
export async function revokeClient(db: Db, id: number, at: Date) {
  await db
    .update(open311Clients)
    .set({ revokedAt: at })
    .where(and(eq(open311Clients.id, id), isNull(open311Clients.revokedAt)));
}

// Services --------------------------------------------------------------------------------------

export async function itemByCode(db: Db, listId: number, code: string) {
  const [row] = await db
    .select({ item: responsibilityItems, categoryName: responsibilityCategories.name })
    .from(responsibilityItems)
    .innerJoin(responsibilityCategories, eq(responsibilityCategories.id, responsibilityItems.categoryId))
    .where(and(eq(responsibilityItems.listId, listId), eq(responsibilityItems.code, code)))
    .limit(1);
  return row;
}

// Places ----------------------------------------------------------------------------------------

export async function compoundInCounty(db: Db, id: number, countyCode: string) {
  const [row] = await db
    .select()
    .from(compounds)
    .where(and(eq(compounds.id, id), eq(compounds.countyCode, countyCode)))
    .limit(1);
  return row;
}

/** The compound of the county nearest a point, within `maxMetres` (equirectangular: fine at city scale). */
export async function nearestCompoundInCounty(
  db: Db,
  countyCode: string,
  lat: number,
  lng: number,
  maxMetres: number,
) {
  const k = Math.cos((lat * Math.PI) / 180);
  const dist = sql<number>`sqrt(power((${compounds.lat} - ${lat}) * 111320, 2) + power((${compounds.lng} - ${lng}) * 111320 * ${k}, 2))`;
  const [row] = await db
    .select({ compound: compounds, dist })
    .from(compounds)
    .where(
      and(
        eq(compounds.countyCode, countyCode),
        sql`${compounds.lat} between ${lat - maxMetres / 111320} and ${lat + maxMetres / 111320}`,
        sql`${compounds.lng} between ${lng - maxMetres / (111320 * k)} and ${lng + maxMetres / (111320 * k)}`,
      ),
    )
    .orderBy(dist, asc(compounds.id))
    .limit(1);
  return row && Number(row.dist) <= maxMetres ? row.compound : undefined;
}

/** The compound of the county whose name occurs in a free-text address (the longest such name). */
export async function compoundNamedIn(db: Db, countyCode: string, address: string) {
  const [row] = await db
    .select()
    .from(compounds)
    .where(and(eq(compounds.countyCode, countyCode), sql`strpos(${address}, ${compounds.name}) > 0`))
    .orderBy(desc(sql`length(${compounds.name})`), asc(compounds.id))
    .limit(1);
  return row;
}

/** The community of the county whose name occurs in a free-text address (the longest such name). */
export async function communityNamedIn(db: Db, countyCode: string, address: string) {
  const [row] = await db
    .select()
    .from(regions)
    .where(
      and(
        eq(regions.countyCode, countyCode),
        eq(regions.level, 'community'),
        sql`strpos(${address}, ${regions.name}) > 0`,
      ),
    )
    .orderBy(desc(sql`length(${regions.name})`), asc(regions.code))
    .limit(1);
  return row;
}

// Requests --------------------------------------------------------------------------------------

const community = alias(regions, 'o311_community');
const township = alias(regions, 'o311_township');
const county = alias(regions, 'o311_county');
const city = alias(regions, 'o311_city');

export interface RequestFilter {
  countyCode?: string;
  numbers?: string[];
  itemCodes?: string[];
  /** requested_datetime in [from, before). */
  from?: Date;
  before?: Date;
  statusIn?: readonly TicketStatus[];
  statusNotIn?: readonly TicketStatus[];
}

function requestWhere(f: RequestFilter): SQL | undefined {
  const conds: SQL[] = [eq(tickets.private, false)];
  if (f.countyCode) conds.push(eq(tickets.countyCode, f.countyCode));
  if (f.numbers) conds.push(inArray(tickets.number, f.numbers.length ? f.numbers : ['']));
  if (f.itemCodes?.length) conds.push(inArray(responsibilityItems.code, f.itemCodes));
  if (f.from) conds.push(gte(tickets.createdAt, f.from));
  if (f.before) conds.push(lt(tickets.createdAt, f.before));
  if (f.statusIn) conds.push(inArray(tickets.status, [...f.statusIn]));
  if (f.statusNotIn) conds.push(notInArray(tickets.status, [...f.statusNotIn]));
  return and(...conds);
}

/**
 * Non-private tickets matching the filter, newest first, with what an Open311 request shows:
 * public facts only (no reporter, no contact, no free-text place). Columns are named, never all.
 */
export async function publicRequests(db: Db, filter: RequestFilter, limit: number) {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      status: tickets.status,
      urgent: tickets.urgent,
      description: tickets.description,
      lat: tickets.lat,
      lng: tickets.lng,
      compoundId: tickets.compoundId,
      countyCode: tickets.countyCode,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
      closedAt: tickets.closedAt,
      resolveDueAt: tickets.resolveDueAt,
      itemCode: responsibilityItems.code,
      itemName: responsibilityItems.name,
      acceptLimit: responsibilityItems.acceptLimit,
      resolveLimit: responsibilityItems.resolveLimit,
      compoundName: compounds.name,
      compoundLat: compounds.lat,
      compoundLng: compounds.lng,
      communityName: community.name,
      townshipName: township.name,
      countyName: county.name,
      cityName: city.name,
    })
    .from(tickets)
    .leftJoin(responsibilityItems, eq(responsibilityItems.id, tickets.itemId))
    .leftJoin(compounds, eq(compounds.id, tickets.compoundId))
    .innerJoin(community, eq(community.code, tickets.communityCode))
    .leftJoin(township, eq(township.code, community.parentCode))
    .leftJoin(county, eq(county.code, tickets.countyCode))
    .leftJoin(city, eq(city.code, county.parentCode))
    .where(requestWhere(filter))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(limit);
}

export type PublicRequestRow = Awaited<ReturnType<typeof publicRequests>>[number];

/** Departments still or finally responsible (whistled, not returned or cancelled), per ticket. */
export async function responsibleDepartments(db: Db, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return db
    .select({ ticketId: ticketDispatches.ticketId, name: departments.name })
    .from(ticketDispatches)
    .innerJoin(departments, eq(departments.id, ticketDispatches.departmentId))
    .where(
      and(
        inArray(ticketDispatches.ticketId, ticketIds),
        inArray(ticketDispatches.status, ['pending', 'checkedIn', 'done']),
      ),
    )
    .orderBy(asc(ticketDispatches.ticketId), asc(ticketDispatches.id));
}

/** The latest public timeline event of each ticket. */
export async function lastPublicEvents(db: Db, ticketIds: number[]) {
  if (ticketIds.length === 0) return [];
  return db
    .selectDistinctOn([ticketEvents.ticketId], {
      ticketId: ticketEvents.ticketId,
      kind: ticketEvents.kind,
      note: ticketEvents.note,
    })
    .from(ticketEvents)
    .where(and(inArray(ticketEvents.ticketId, ticketIds), eq(ticketEvents.public, true)))
    .orderBy(ticketEvents.ticketId, desc(ticketEvents.at), desc(ticketEvents.id));
}
