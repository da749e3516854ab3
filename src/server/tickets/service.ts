import { and, type SQL, sql } from 'drizzle-orm';
import { STAFF_ROLES } from '../../contracts/roles.ts';
import {
  OPEN_STATUSES,
  type SimilarQuery,
  type SimilarTicket,
  type TicketActionBody,
  type TicketCreate,
  type TicketListQuery,
  type TicketStatus,
  type TicketSummary,
  type TicketView,
} from '../../contracts/tickets.ts';
import { type Actor, coversPath, hasAnyRole, scopesFor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { CachedKey } from '../core/cache.ts';
import { type Ctx, inTransaction } from '../core/context.ts';
import { decodeIdCursor, pageOf } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { attachFiles, filesOf, readFile, storeImages } from '../core/files.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import { isForeignKeyViolation } from '../db/errors.ts';
import * as geo from '../geo/repo.ts';
import { regions } from '../geo/tables.ts';
import { LABELLED_TICKETS } from './labelled-tickets.ts';
import { publishTicketChange } from './live.ts';
import { SMS_KINDS } from './notices.ts';
import {
  actingAs,
  anyVisible,
  canSee,
  departmentOnly,
  homePaths,
  INTAKE_ROLES,
  mineVisible,
  neighbourVisible,
  relation,
  SUPERVISOR_ROLES,
  workVisible,
} from './policy.ts';
import * as repo from './repo.ts';
import { type Router, similarity, trainRouter } from './routing.ts';
import { tickets } from './tables.ts';
import { availableActions, DEFAULT_RULES, decide, type TicketAction, type TicketState } from './workflow.ts';
import {
  addLimit,
  formatLimit,
  parseLimit,
  shanghaiDate,
  type WorkCalendar,
  workCalendar,
} from './worktime.ts';

type Authed = Ctx & { actor: Actor };

/** Limits when a ticket has no item yet (the 12345 norms). */
export const DEFAULT_LIMITS = {
  accept: '2wh',
  checkIn: '1wd',
  urgentCheckIn: '30m',
  resolve: '7d',
  urgentResolve: '2h',
};
/** A resident has this long to rate a confirmed ticket before it closes as "no rating". */
const FOLLOW_UP = '3d';
/** A GPS point names the nearest compound within this distance. */
const NEAREST_COMPOUND_METRES = 1500;

/** The working calendar: the instance's copy, rebuilt when an override changes (core/cache.ts). */
function calendar(ctx: Ctx): Promise<WorkCalendar> {
  const load = async () => {
    const rows = await repo.calendarOverrideRows(ctx.db);
    return workCalendar(rows.map((r) => ({ date: r.day, workday: r.workday, note: r.note ?? undefined })));
  };
  return ctx.cache ? ctx.cache.get('calendar_overrides', ctx.clock.now().getTime(), load) : load();
}

function due(cal: WorkCalendar, from: Date, limit: string) {
  const l = parseLimit(limit);
  return { due: addLimit(cal, from, l), warn: addLimit(cal, from, l, 0.8) };
}

// Intake ----------------------------------------------------------------------------------------

export interface Place {
  communityCode: string;
  countyCode: string;
  path: string;
  compoundId: number | null;
  buildingId: number | null;
}

type CompoundPlace = Pick<Place, 'communityCode' | 'countyCode' | 'path'> & { id: number };

/**
 * A row of a small reference table from the instance's copy (core/cache.ts), or from the database
 * when the copy lacks it (it predates the row, or the id is wrong).
 */
async function fromCopy<T extends { id: number }>(
  ctx: Ctx,
  key: CachedKey,
  id: number,
  all: () => Promise<T[]>,
  one: () => Promise<T | undefined>,
): Promise<T | undefined> {
  if (ctx.cache) {
    const byId = await ctx.cache.get(key, ctx.clock.now().getTime(), async () => {
      return new Map((await all()).map((r) => [r.id, r]));
    });
    const hit = byId.get(id);
    if (hit) return hit;
  }
  return one();
}

/** A compound's place (1,724 compounds in Datong). */
const compoundPlace = (ctx: Ctx, id: number): Promise<CompoundPlace | undefined> =>
  fromCopy(
    ctx,
    'compounds',
    id,
    () => geo.compoundPlaces(ctx.db),
    () => geo.compoundByIdRaw(ctx.db, id),
  );

/** An item of the current responsibility list. */
const currentItem = (ctx: Ctx, id: number): Promise<repo.ItemRow | undefined> =>
  fromCopy(
    ctx,
    'current_items',
    id,
    () => repo.currentItems(ctx.db),
    () => repo.currentItemById(ctx.db, id),
  );

/** Where a report is: the named compound (and building), else the compound nearest the GPS point,
 * else the community staff chose, else the reporter's own compound. */
async function resolvePlace(ctx: Authed, input: TicketCreate): Promise<Place> {
  let compound: CompoundPlace | undefined = input.compoundId
    ? await compoundPlace(ctx, input.compoundId)
    : undefined;
  if (input.compoundId && !compound) throw new AppError('compound.not_found');
  if (!compound && input.lat !== undefined && input.lng !== undefined) {
    compound = await repo.nearestCompound(ctx.db, input.lat, input.lng, NEAREST_COMPOUND_METRES);
  }
  // That the building is in the compound is checked by the intake statement itself.
  if (input.buildingId && !compound) throw new AppError('building.not_found');
  if (compound) {
    return {
      communityCode: compound.communityCode,
      countyCode: compound.countyCode,
      path: compound.path,
      compoundId: compound.id,
      buildingId: input.buildingId ?? null,
    };
  }
  if (input.communityCode) {
    const r = await geo.regionByCode(ctx.db, input.communityCode);
    if (r?.level !== 'community') throw new AppError('region.not_found');
    return {
      communityCode: r.code,
      countyCode: r.code.slice(0, 6),
      path: r.path,
      compoundId: null,
      buildingId: null,
    };
  }
  const home = homePaths(ctx.actor)[0];
  if (home) {
    const [c] = await geo.compoundsByPaths(ctx.db, [home]);
    if (c)
      return {
        communityCode: c.compound.communityCode,
        countyCode: c.compound.countyCode,
        path: c.compound.path,
        compoundId: c.compound.id,
        buildingId: null,
      };
  }
  throw new AppError('ticket.place_required');
}

/** Creates the ticket (or finds the one this idempotency key created) and returns it as the
 * reporter sees it. Without photos it is one statement and needs no transaction. */
export async function createTicket(
  ctx: Authed,
  input: TicketCreate,
  idempotencyKey: string | undefined,
): Promise<TicketView> {
  const actor = ctx.actor;
  const place = await resolvePlace(ctx, input);
  const onBehalf = input.channel !== 'app';
  if (onBehalf) {
    // Hotline operators, grid workers on patrol and staff keying in for a resident: only in their area.
    const role = input.channel === 'patrol' ? (['gridWorker'] as const) : INTAKE_ROLES;
    if (!coversPath(actor, role, place.path)) throw new AppError('access.forbidden');
    if (input.channel === 'hotline' && !input.contactPhone) throw new AppError('ticket.contact_required');
  }
  const item = input.itemId ? await currentItem(ctx, input.itemId) : undefined;
  if (input.itemId && !item) throw new AppError('ticket.item_not_found');
  const urgent = input.urgent || (item?.urgent ?? false);
  const spec: IntakeSpec = {
    channel: input.channel,
    item,
    description: input.description,
    private: input.private,
    urgent,
    reporterUserId: onBehalf ? null : actor.userId,
    createdBy: actor.userId,
    contactName: onBehalf ? (input.contactName ?? null) : actor.name,
    contactPhone: onBehalf ? (input.contactPhone ?? null) : actor.phone,
    place,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    placeText: input.place ?? null,
    idempotencyKey: idempotencyKey ?? null,
    photoIds: input.photoIds,
    eventData: {},
    auditDetail: {},
  };
  // Photos are attached in the same transaction, so a bad one leaves no ticket behind.
  let created: Awaited<ReturnType<typeof intake>>;
  try {
    created = input.photoIds.length
      ? await inTransaction(ctx, (tx) => intake(tx, spec))
      : await intake(ctx, spec);
  } catch (err) {
    // The instance's copy of the compounds placed it in one deleted a moment ago elsewhere.
    if (isForeignKeyViolation(err, 'tickets_compound_id_compounds_id_fk')) {
      ctx.cache?.forget('compounds');
      throw new AppError('compound.not_found');
    }
    throw err;
  }
  if ('detail' in created) return ticketView(ctx, created.detail);
  // The key was used before (a retry), or by a request racing this one.
  const existing =
    created.existingId ??
    (idempotencyKey ? await repo.ticketByIdempotencyKey(ctx.db, actor.userId, idempotencyKey) : undefined);
  if (!existing) throw new Error('ticket insert conflicted without an idempotency key');
  return getTicket(ctx, existing);
}

export interface IntakeSpec {
  channel: repo.TicketRow['channel'];
  item: repo.ItemRow | undefined;
  description: string;
  private: boolean;
  urgent: boolean;
  /** The account that follows and rates it; null for callers and outside systems. */
  reporterUserId: number | null;
  /** Who keyed it in (null for an Open311 client system). */
  createdBy: number | null;
  contactName: string | null;
  contactPhone: string | null;
  place: Place;
  lat: number | null;
  lng: number | null;
  placeText: string | null;
  idempotencyKey: string | null;
  photoIds: number[];
  /** Extra facts for the submit event (kept for staff). */
  eventData: Record<string, unknown>;
  auditDetail: Record<string, unknown>;
}

/**
 * Every channel's ticket is born here: number, deadline, row, photos, the first timeline event,
 * the reporter as follower (or an SMS for a caller without an account), audit and the live event
 * (repo.intakeTicket, one statement). Photos need the caller's transaction. Returns `existingId`
 * when the idempotency key was already used by the same creator.
 */
export async function intake(
  ctx: Ctx,
  s: IntakeSpec,
): Promise<{ detail: repo.DetailRow } | { existingId: number | null }> {
  const now = ctx.clock.now();
  const cal = await calendar(ctx);
  const accept = due(cal, now, s.item?.acceptLimit ?? DEFAULT_LIMITS.accept);
  const created = await repo.intakeTicket(ctx.db, {
    day: shanghaiDate(now),
    at: now,
    channel: s.channel,
    itemId: s.item?.id ?? null,
    description: s.description,
    private: s.private,
    urgent: s.urgent,
    reporterUserId: s.reporterUserId,
    createdBy: s.createdBy,
    contactName: s.contactName,
    contactPhone: s.contactPhone,
    ...s.place,
    lat: s.lat,
    lng: s.lng,
    place: s.placeText,
    acceptDueAt: accept.due,
    acceptWarnAt: accept.warn,
    idempotencyKey: s.idempotencyKey,
    eventData: { channel: s.channel, photoIds: s.photoIds, ...s.eventData },
    auditDetail: { channel: s.channel, itemId: s.item?.id ?? null, ...s.auditDetail },
    ip: ctx.ip,
  });
  if ('buildingNotInCompound' in created) throw new AppError('building.not_found');
  if ('detail' in created && s.photoIds.length && s.createdBy !== null)
    await attachFiles(ctx.db, s.photoIds, 'ticket', created.detail.ticket.id, s.createdBy, {
      scopePath: s.place.path,
    });
  return created;
}

// Reading ---------------------------------------------------------------------------------------

function overdue(t: Pick<repo.TicketRow, 'status' | 'acceptDueAt' | 'resolveDueAt'>, now: Date): boolean {
  if (!OPEN_STATUSES.includes(t.status)) return false;
  if (t.status === 'submitted') return !!t.acceptDueAt && t.acceptDueAt < now;
  if (t.status === 'confirmed' || t.status === 'resolved') return false;
  return !!t.resolveDueAt && t.resolveDueAt < now;
}

interface SummaryRow {
  ticket: repo.SummaryTicket;
  itemName: string | null;
  categoryName: string | null;
  communityName: string;
  compoundName: string | null;
  buildingName: string | null;
}

function summary(r: SummaryRow, now: Date): TicketSummary {
  const t = r.ticket;
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    channel: t.channel,
    itemName: r.itemName,
    categoryName: r.categoryName,
    description: t.description,
    placeLabel: [r.communityName, r.compoundName, r.buildingName, t.place].filter(Boolean).join(' '),
    urgent: t.urgent,
    private: t.private,
    createdAt: t.createdAt.toISOString(),
    acceptDueAt: t.acceptDueAt?.toISOString() ?? null,
    resolveDueAt: t.resolveDueAt?.toISOString() ?? null,
    overdue: overdue(t, now),
  };
}

/**
 * The deadline queues. A ticket is late when the clock that runs for its stage has passed: the
 * community's acceptance, a department's check-in, or the resolution; "due soon" is past the 80 %
 * warning of one of them without being late.
 */
function queueWhere(queue: NonNullable<TicketListQuery['queue']>, now: Date): SQL {
  const working = sql`${tickets.status} in ('accepted','whistled','inProgress')`;
  const late = sql`(
    (${tickets.status} = 'submitted' and ${tickets.acceptDueAt} < ${now})
    or (${working} and ${tickets.resolveDueAt} < ${now})
    or exists (select 1 from ticket_dispatches d where d.ticket_id = ${tickets.id} and d.status = 'pending' and d.check_in_due_at < ${now}))`;
  if (queue === 'overdue') return late;
  if (queue === 'extension') return sql`(${tickets.extension} = 'requested' and ${working})`;
  return sql`(not ${late} and (
    (${tickets.status} = 'submitted' and ${tickets.acceptWarnAt} <= ${now})
    or (${working} and ${tickets.resolveWarnAt} <= ${now})
    or exists (select 1 from ticket_dispatches d where d.ticket_id = ${tickets.id} and d.status = 'pending' and d.check_in_warn_at <= ${now})))`;
}

export async function listTickets(ctx: Authed, q: TicketListQuery) {
  const a = ctx.actor;
  const visible =
    q.view === 'mine'
      ? mineVisible(a)
      : q.view === 'neighbours'
        ? neighbourVisible(a)
        : workVisible(a, 'list', q.status);
  const conds: SQL[] = [visible];
  if (q.status) conds.push(sql`${tickets.status} = ${repo.statusLiteral(q.status)}`);
  if (q.queue) conds.push(queueWhere(q.queue, ctx.clock.now()));
  if (q.region) {
    const r = await geo.regionByCode(ctx.db, q.region);
    if (!r) throw new AppError('region.not_found');
    conds.push(sql`${tickets.path} like ${`${r.path}%`}`);
  }
  if (q.departmentId) {
    conds.push(
      sql`exists (select 1 from ticket_dispatches d where d.ticket_id = ${tickets.id} and d.department_id = ${q.departmentId})`,
    );
  }
  if (q.q) {
    const like = q.q.replace(/[\\%_]/g, '\\$&');
    // A number, or its start (20261127-0001…), or words of the description.
    conds.push(
      /^\d{4,8}(-\d{0,6})?$/.test(q.q)
        ? sql`${tickets.number} like ${`${like}%`}`
        : sql`${tickets.description} like ${`%${like}%`}`,
    );
  }
  // A department officer's queue is chosen by the department's index whatever the values: prepared,
  // it is not planned again on every request (planning took longer than running it).
  const byDepartment = q.view === 'work' && departmentOnly(a);
  const rows = await repo.listTickets(
    ctx.db,
    and(...conds) as SQL,
    decodeIdCursor(q.cursor),
    q.limit,
    byDepartment,
  );
  const now = ctx.clock.now();
  const p = pageOf(rows, q.limit, (r) => r.ticket.id);
  return { items: p.items.map((r) => summary(r, now)), nextCursor: p.nextCursor };
}

export async function getTicket(ctx: Authed, id: number): Promise<TicketView> {
  const row = await repo.ticketDetail(ctx.db, id, ctx.actor.userId);
  const deptIds = row?.dispatches.map((d) => d.dispatch.departmentId) ?? [];
  if (!row || !canSee(ctx.actor, row.ticket, deptIds, row.following)) throw new AppError('ticket.not_found');
  return ticketView(ctx, row);
}

/** A ticket's detail row as `ctx.actor` may see it (the caller has checked that they may). */
async function ticketView(ctx: Authed, row: repo.DetailRow): Promise<TicketView> {
  const a = ctx.actor;
  const dispatches = row.dispatches;
  const deptIds = dispatches.map((d) => d.dispatch.departmentId);
  const t = row.ticket;
  const following = row.following;
  const events = row.events;
  const deptNames = new Map(dispatches.map((d) => [d.dispatch.departmentId, d.departmentName]));
  const transferredTo = events.flatMap((e) =>
    typeof e.event.data?.to === 'string' ? [e.event.data.to] : [],
  );
  const regionNames = new Map(
    (transferredTo.length ? await geo.regionsByCodes(ctx.db, transferredTo) : []).map((r) => [
      r.code,
      r.name,
    ]),
  );
  const rel = relation(a, t, deptIds, following);
  const staff = rel === 'staff' || rel === 'department';
  const as = actingAs(a, t, deptIds);
  const state = stateOf(
    t,
    dispatches.map((d) => d.dispatch),
    row.extensionLimit,
    ctx.clock.now(),
  );
  const submitted = events.find((e) => e.event.kind === 'submit')?.event.data?.photoIds;
  const ticketPhotos = Array.isArray(submitted) ? (submitted as number[]) : [];
  return {
    ...summary(row, ctx.clock.now()),
    itemId: t.itemId,
    handlerLevel: row.handlerLevel ?? null,
    communityCode: t.communityCode,
    compoundId: t.compoundId,
    buildingId: t.buildingId,
    lat: rel === 'neighbour' ? null : t.lat,
    lng: rel === 'neighbour' ? null : t.lng,
    // Neighbours never learn who reported; staff see it masked; the reporter sees their own.
    contactName:
      rel === 'neighbour'
        ? null
        : rel === 'reporter'
          ? t.contactName
          : t.contactName && maskName(t.contactName),
    contactPhone:
      rel === 'neighbour'
        ? null
        : rel === 'reporter'
          ? t.contactPhone
          : t.contactPhone && maskPhone(t.contactPhone),
    reopenCount: t.reopenCount,
    rating: t.rating,
    outcome: t.outcome,
    mergedIntoNumber: row.mergedIntoNumber ?? null,
    extension: t.extension,
    extensionLimit: row.extensionLimit ? formatLimit(parseLimit(row.extensionLimit), ctx.locale) : null,
    photoIds: ticketPhotos,
    dispatches: dispatches.map(({ dispatch: d, departmentName }) => ({
      departmentId: d.departmentId,
      departmentName,
      status: d.status,
      urgent: d.urgent,
      whistledAt: d.whistledAt.toISOString(),
      checkInDueAt: d.checkInDueAt.toISOString(),
      checkedInAt: d.checkedInAt?.toISOString() ?? null,
      doneAt: d.doneAt?.toISOString() ?? null,
    })),
    events: events
      .filter((e) => staff || e.event.public)
      .map(({ event: e, actorName, departmentName }) => ({
        id: e.id,
        at: e.at.toISOString(),
        kind: e.kind,
        // Residents see who acted by office, not by name.
        actorName: staff ? actorName && maskName(actorName) : null,
        departmentName,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        note: e.note,
        public: e.public,
        photoIds: Array.isArray(e.data?.photoIds) ? (e.data.photoIds as number[]) : [],
        details: eventDetails(e.data ?? {}, deptNames, regionNames),
      })),
    can: {
      actions: rel === 'neighbour' ? [] : availableActions(state, as, DEFAULT_RULES),
      departmentIds: as.departmentIds as number[],
    },
  };
}

function stateOf(
  t: repo.TicketRow,
  dispatches: repo.DispatchRow[],
  extensionLimit: string | null | undefined,
  now: Date,
): TicketState {
  return {
    status: t.status,
    reopenCount: t.reopenCount,
    handledBySelf: t.handledBySelf,
    reporterHasAccount: t.reporterUserId !== null,
    dispatches: dispatches.map((d) => ({ departmentId: d.departmentId, status: d.status })),
    extendable: !!extensionLimit && !t.urgent,
    extension: t.extension,
    resolveOverdue: !!t.resolveDueAt && t.resolveDueAt < now,
  };
}

// Moves -----------------------------------------------------------------------------------------

/** Makes a move; the caller reads the ticket back after COMMIT (see ticketAfterMove). */
export async function act(ctx: Authed, id: number, body: TicketActionBody): Promise<void> {
  const a = ctx.actor;
  const t = await repo.ticketVisible(ctx.db, id, sql`(${workVisible(a)} or ${mineVisible(a)})`, true);
  if (!t) throw new AppError('ticket.not_found');
  const dispatchRows = (await repo.dispatchesOf(ctx.db, id)).map((d) => d.dispatch);
  const as = actingAs(
    a,
    t,
    dispatchRows.map((d) => d.departmentId),
  );
  const photoIds = 'photoIds' in body ? (body.photoIds ?? []) : [];
  const action: TicketAction =
    body.kind === 'resolve'
      ? { kind: 'resolve', note: body.note, photoCount: photoIds.length, departmentId: body.departmentId }
      : body.kind === 'accept'
        ? { kind: 'accept' }
        : (body as TicketAction);
  const now = ctx.clock.now();
  const item = t.itemId ? await repo.itemById(ctx.db, t.itemId) : undefined;
  let itemRow = item?.item;
  const decision = decide(stateOf(t, dispatchRows, itemRow?.extensionLimit, now), action, as, DEFAULT_RULES);
  const cal = await calendar(ctx);
  const patch: Partial<repo.TicketRow> = {
    status: decision.status,
    handledBySelf: decision.handledBySelf,
    extension: decision.extension,
    updatedAt: now,
  };
  const data: Record<string, unknown> = {};

  switch (body.kind) {
    case 'accept': {
      if (body.itemId) {
        const list = await repo.currentList(ctx.db);
        const chosen = await repo.itemById(ctx.db, body.itemId);
        if (!chosen || chosen.item.listId !== list?.id) throw new AppError('ticket.item_not_found');
        itemRow = chosen.item;
        patch.itemId = chosen.item.id;
        patch.urgent = t.urgent || chosen.item.urgent;
        data.itemId = chosen.item.id;
      }
      patch.acceptedAt = now;
      patch.resolveWarnedAt = null;
      patch.resolveOverdueAt = null;
      const urgent = patch.urgent ?? t.urgent;
      const r = due(
        cal,
        now,
        urgent ? DEFAULT_LIMITS.urgentResolve : (itemRow?.resolveLimit ?? DEFAULT_LIMITS.resolve),
      );
      patch.resolveDueAt = r.due;
      patch.resolveWarnAt = r.warn;
      break;
    }
    case 'handleSelf':
      // 属地管理: only matters the list gives to the community or township may be handled there.
      if (!itemRow) throw new AppError('ticket.item_required');
      if (itemRow.handlerLevel === 'department')
        throw new AppError('ticket.not_on_list', { item: itemRow.name });
      break;
    case 'transfer': {
      const r = await geo.regionByCode(ctx.db, body.communityCode);
      if (r?.level !== 'community') throw new AppError('region.not_found');
      if (r.code === t.communityCode) throw new AppError('ticket.same_community');
      if (!transferReach(a, t, r)) throw new AppError('region.not_found');
      Object.assign(patch, {
        communityCode: r.code,
        countyCode: r.code.slice(0, 6),
        path: r.path,
        compoundId: null,
        buildingId: null,
        acceptedAt: null,
      });
      const acc = due(cal, now, itemRow?.acceptLimit ?? DEFAULT_LIMITS.accept);
      patch.acceptDueAt = acc.due;
      patch.acceptWarnAt = acc.warn;
      patch.acceptWarnedAt = null;
      patch.acceptOverdueAt = null;
      data.from = t.communityCode;
      data.to = r.code;
      break;
    }
    case 'whistle': {
      const depts = await repo.departmentsByIds(
        ctx.db,
        decision.newDispatches.concat(decision.dispatchUpdates.map((d) => d.departmentId)),
      );
      // Departments of the ticket's county, or city-level ones.
      const ok = depts.filter((d) => t.path.startsWith(d.path));
      if (ok.length !== new Set(body.departmentIds).size) throw new AppError('department.not_found');
      const urgent = body.urgent ?? t.urgent;
      const limit = urgent ? DEFAULT_LIMITS.urgentCheckIn : (itemRow?.checkInLimit ?? DEFAULT_LIMITS.checkIn);
      const c = due(cal, now, limit);
      await repo.insertDispatches(
        ctx.db,
        decision.newDispatches.map((departmentId) => ({
          ticketId: id,
          departmentId,
          status: 'pending' as const,
          urgent,
          whistledAt: now,
          checkInDueAt: c.due,
          checkInWarnAt: c.warn,
          updatedAt: now,
        })),
      );
      for (const u of decision.dispatchUpdates)
        await repo.setDispatchStatus(ctx.db, id, u.departmentId, {
          status: 'pending',
          urgent,
          whistledAt: now,
          checkInDueAt: c.due,
          checkInWarnAt: c.warn,
          checkInWarnedAt: null,
          checkInOverdueAt: null,
          checkedInAt: null,
          updatedAt: now,
        });
      data.departmentIds = body.departmentIds;
      data.urgent = urgent;
      break;
    }
    case 'resolve':
      if (decision.status === 'resolved') patch.resolvedAt = now;
      break;
    case 'confirm': {
      patch.followUpDueAt = due(cal, now, FOLLOW_UP).due;
      break;
    }
    case 'rate':
      patch.rating = body.rating;
      if (decision.outcome) {
        patch.outcome = decision.outcome;
        patch.closedAt = now;
      }
      if (decision.reopened) {
        patch.reopenCount = t.reopenCount + 1;
        patch.resolveWarnedAt = null;
        patch.resolveOverdueAt = null;
        patch.resolvedAt = null;
        patch.followUpDueAt = null;
        const r = due(
          cal,
          now,
          t.urgent ? DEFAULT_LIMITS.urgentResolve : (itemRow?.resolveLimit ?? DEFAULT_LIMITS.resolve),
        );
        patch.resolveDueAt = r.due;
        patch.resolveWarnAt = r.warn;
      }
      data.rating = body.rating;
      data.satisfied = body.satisfied;
      break;
    case 'merge': {
      if (body.intoTicketId === id) throw new AppError('ticket.merge_self');
      const into = await repo.ticketVisible(ctx.db, body.intoTicketId, workVisible(a), true);
      if (!into || !OPEN_STATUSES.includes(into.status) || into.status === 'merged')
        throw new AppError('ticket.not_found');
      patch.mergedIntoId = into.id;
      patch.closedAt = now;
      // Whoever followed the duplicate now follows the ticket that goes on.
      await repo.copyFollowers(ctx.db, id, into.id, now);
      if (t.reporterUserId) await repo.follow(ctx.db, into.id, t.reporterUserId, 'merged', now);
      await repo.insertEvent(ctx.db, {
        ticketId: into.id,
        at: now,
        actorUserId: a.userId,
        kind: 'mergedIn',
        note: t.number,
        public: false,
        data: { ticketId: id },
      });
      data.into = into.number;
      break;
    }
    case 'approveExtension': {
      // The extra time runs on from the limit it extends, in the item's own units.
      const limit = parseLimit(itemRow?.extensionLimit ?? DEFAULT_LIMITS.resolve);
      const from = t.resolveDueAt ?? now;
      patch.resolveDueAt = addLimit(cal, from, limit);
      patch.resolveWarnAt = addLimit(cal, from, limit, 0.8);
      patch.resolveWarnedAt = null;
      patch.resolveOverdueAt = null;
      data.dueAt = patch.resolveDueAt.toISOString();
      break;
    }
    default:
      break;
  }

  for (const u of decision.dispatchUpdates) {
    if (body.kind === 'whistle') break;
    await repo.setDispatchStatus(ctx.db, id, u.departmentId, {
      status: u.status,
      updatedAt: now,
      ...(u.status === 'checkedIn' && body.kind === 'checkIn' ? { checkedInAt: now } : {}),
      ...(u.status === 'done' ? { doneAt: now } : {}),
    });
  }
  if (photoIds.length) await attachFiles(ctx.db, photoIds, 'ticket', id, a.userId, { scopePath: t.path });

  const moved = await repo.updateTicket(ctx.db, id, t.status, patch);
  if (!moved) throw new AppError('ticket.changed');
  // Supervision, internal notes and a follow-up call recorded by staff stay among staff.
  const isPublic =
    body.kind === 'supervise' || body.kind === 'requestExtension' || body.kind === 'refuseExtension'
      ? false
      : body.kind === 'update'
        ? body.public
        : body.kind === 'rate'
          ? t.reporterUserId === a.userId
          : true;
  const note =
    'reason' in body
      ? body.reason
      : 'note' in body
        ? (body.note ?? null)
        : 'comment' in body
          ? (body.comment ?? null)
          : null;
  await repo.insertEvent(ctx.db, {
    ticketId: id,
    at: now,
    actorUserId: a.userId,
    departmentId: 'departmentId' in body ? (body.departmentId ?? null) : null,
    kind: body.kind,
    fromStatus: t.status,
    toStatus: decision.status,
    note,
    public: isPublic,
    data: {
      ...data,
      photoIds,
      ...(decision.reopened ? { reopened: true } : {}),
      ...(decision.outcome ? { outcome: decision.outcome } : {}),
    },
  });
  if (isPublic) {
    await repo.noticeFollowers(ctx.db, {
      ticketId: id,
      kind: body.kind,
      toStatus: decision.status,
      at: now,
      exceptUserId: a.userId,
    });
    if (t.reporterUserId === null && t.contactPhone && SMS_KINDS.has(body.kind))
      await repo.queueSms(ctx.db, {
        ticketId: id,
        phone: t.contactPhone,
        kind: body.kind,
        toStatus: decision.status,
        at: now,
      });
  }
  await audit(ctx, {
    action: `ticket.${body.kind}`,
    entity: 'ticket',
    entityId: id,
    scopePath: patch.path ?? t.path,
    detail: { number: t.number, to: decision.status },
  });
  await publishTicketChange(ctx, { id, fromPath: t.path });
}

/** The ticket as the actor sees it after a move, or null when the move took it out of their sight
 * (a community handing it to its neighbour). */
export async function ticketAfterMove(ctx: Authed, id: number): Promise<TicketView | null> {
  try {
    return await getTicket(ctx, id);
  } catch (e) {
    if (e instanceof AppError && e.code === 'ticket.not_found') return null;
    throw e;
  }
}

/** The township or county may move a ticket anywhere in its area; a community hands it to a
 * neighbour in the same township. */
function transferReach(a: Actor, t: { communityCode: string }, r: { code: string; path: string }) {
  return coversPath(a, SUPERVISOR_ROLES, r.path) || r.code.slice(0, 9) === t.communityCode.slice(0, 9);
}

/** Communities this actor may transfer the ticket to, for the picker (the server checks again). */
export async function transferTargets(ctx: Authed, id: number, q: string | undefined) {
  const a = ctx.actor;
  const t = await repo.ticketVisible(ctx.db, id, workVisible(a));
  if (!t) throw new AppError('ticket.not_found');
  const dispatchIds = (await repo.dispatchesOf(ctx.db, id)).map((d) => d.dispatch.departmentId);
  const as = actingAs(a, t, dispatchIds);
  if (!as.community && !as.supervisor) return [];
  const township = `${t.communityCode.slice(0, 9)}%`;
  const where = sql`(${regions.code} like ${township} or ${scopeWhere(regions.path, scopesFor(a, SUPERVISOR_ROLES))}) and ${regions.code} <> ${t.communityCode}`;
  return geo.communitiesWithTownship(ctx.db, where, q, 50);
}

/** For the job: statuses whose clocks matter. */
export const TIMED_STATUSES: readonly TicketStatus[] = ['submitted', 'accepted', 'whistled', 'inProgress'];

// Responsibility list ---------------------------------------------------------------------------

export async function currentItems(ctx: Authed) {
  const list = await repo.currentList(ctx.db);
  if (!list) return { version: '', items: [] };
  const rows = await repo.itemsOfList(ctx.db, list.id);
  const words = (s: string) => formatLimit(parseLimit(s), ctx.locale);
  return {
    version: list.version,
    items: rows.map(({ item: i, categoryCode, categoryName }) => ({
      id: i.id,
      code: i.code,
      name: i.name,
      description: i.description,
      categoryCode,
      categoryName,
      handlerLevel: i.handlerLevel,
      departmentType: i.departmentType,
      urgent: i.urgent,
      keywords: i.keywords,
      acceptLimit: words(i.acceptLimit),
      checkInLimit: words(i.checkInLimit),
      resolveLimit: words(i.resolveLimit),
      extensionLimit: i.extensionLimit ? words(i.extensionLimit) : null,
    })),
  };
}

// Photos ----------------------------------------------------------------------------------------

export async function uploadPhotos(ctx: Authed, bufs: Buffer[]) {
  if (bufs.length === 0) throw new AppError('request.invalid', {}, [{ path: 'photos', message: 'photos' }]);
  // Unattached until a report or a move names them; only their uploader can attach them.
  const stored = await storeImages(ctx.db, bufs, {
    createdBy: ctx.actor.userId,
    scopePath: '',
    ownerKind: 'ticket',
    now: ctx.clock.now(),
  });
  await audit(ctx, {
    action: 'file.upload',
    entity: 'file',
    entityId: stored[0]?.id,
    detail: { count: stored.length },
  });
  return stored.map((f) => ({ id: f.id, width: f.width, height: f.height, gps: f.gps }));
}

/** A photo is served only to those who may see its ticket, and only if it belongs to that ticket. */
export async function ticketPhoto(ctx: Authed, ticketId: number, fileId: number, variant: 'full' | 'thumb') {
  const t = await repo.ticketVisible(ctx.db, ticketId, anyVisible(ctx.actor));
  if (!t) throw new AppError('file.not_found');
  const own = await filesOf(ctx.db, 'ticket', [ticketId]);
  if (!own.some((f) => f.id === fileId)) throw new AppError('file.not_found');
  const file = await readFile(ctx.db, fileId, variant);
  if (!file) throw new AppError('file.not_found');
  return file;
}

// Duplicates ------------------------------------------------------------------------------------

/** Open public tickets within this distance (or in the same compound) are offered for "+1". */
export const SIMILAR_METRES = 200;
const SIMILAR_DAYS = 90;

/**
 * While a resident types: open public tickets in the same compound or within 200 m, most similar
 * text first, so they can add "+1" instead of reporting the same thing again.
 */
export async function similarTickets(ctx: Authed, q: SimilarQuery): Promise<SimilarTicket[]> {
  const now = ctx.clock.now();
  let { lat, lng } = q;
  if (q.compoundId && lat === undefined) {
    const c = await geo.compoundByIdRaw(ctx.db, q.compoundId);
    if (!c) throw new AppError('compound.not_found');
    if (c.lat !== null && c.lng !== null) {
      lat = c.lat;
      lng = c.lng;
    }
  }
  const rows = await repo.nearbyOpenTickets(ctx.db, {
    compoundId: q.compoundId,
    lat,
    lng,
    metres: SIMILAR_METRES,
    since: new Date(now.getTime() - SIMILAR_DAYS * 86_400_000),
    viewerId: ctx.actor.userId,
  });
  const text = q.text ?? '';
  return rows
    .map((r) => ({
      id: Number(r.id),
      number: r.number,
      status: r.status,
      itemName: r.itemName,
      description: r.description.length > 120 ? `${r.description.slice(0, 120)}…` : r.description,
      placeLabel: [r.communityName, r.compoundName, r.place].filter(Boolean).join(' '),
      createdAt: new Date(r.createdAt).toISOString(),
      followers: Number(r.followers),
      distance: r.distance === null ? null : Math.round(Number(r.distance)),
      sameCompound: q.compoundId !== undefined && Number(r.compoundId) === q.compoundId,
      score: text ? Math.round(similarity(text, r.description) * 100) / 100 : 0,
      following: Boolean(r.following),
    }))
    .filter((r) => !text || r.score >= SIMILAR_MIN_SCORE)
    .sort((a, b) => b.score - a.score || b.followers - a.followers || b.id - a.id)
    .slice(0, 5);
}

/** Below this, texts are about different things. */
const SIMILAR_MIN_SCORE = 0.15;

/** "+1": follow an open public ticket nearby instead of reporting it again. */
export async function plusOne(ctx: Authed, id: number): Promise<{ followers: number }> {
  const t = await repo.ticketByIdRaw(ctx.db, id);
  const visible = t && (await repo.ticketVisible(ctx.db, id, anyVisible(ctx.actor)));
  if (!t || (t.private && !visible) || !OPEN_STATUSES.includes(t.status) || t.status === 'merged')
    throw new AppError('ticket.not_found');
  const now = ctx.clock.now();
  const already = await repo.isFollowing(ctx.db, id, ctx.actor.userId);
  if (!already) {
    await repo.follow(ctx.db, id, ctx.actor.userId, 'plusOne', now);
    await repo.insertEvent(ctx.db, {
      ticketId: id,
      at: now,
      actorUserId: ctx.actor.userId,
      kind: 'plusOne',
      note: null,
      public: true,
      data: {},
    });
    await audit(ctx, { action: 'ticket.plusOne', entity: 'ticket', entityId: id, scopePath: t.path });
    await publishTicketChange(ctx, { id, followerUserId: ctx.actor.userId });
  }
  return { followers: (await repo.followersOf(ctx.db, id)).length };
}

// Notices ---------------------------------------------------------------------------------------

export async function listNotices(ctx: Authed, q: { cursor?: string; limit: number }) {
  const rows = await repo.noticesOf(ctx.db, ctx.actor.userId, decodeIdCursor(q.cursor), q.limit);
  const p = pageOf(rows, q.limit, (r) => r.notice.id);
  return {
    unread: await repo.unreadCount(ctx.db, ctx.actor.userId),
    items: p.items.map(({ notice: n, number, itemName, description }) => ({
      id: n.id,
      kind: n.kind,
      ticketId: n.ticketId,
      number,
      about: itemName ?? (description.length >= 40 ? `${description.slice(0, 39)}…` : description),
      toStatus: n.toStatus,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt?.toISOString() ?? null,
    })),
    nextCursor: p.nextCursor,
  };
}

export async function readNotices(ctx: Authed, ids: number[] | 'all') {
  await repo.markRead(ctx.db, ctx.actor.userId, ids, ctx.clock.now());
  return { unread: await repo.unreadCount(ctx.db, ctx.actor.userId) };
}

// Routing suggestion ----------------------------------------------------------------------------

/** Retrain at most this often: new resolved tickets teach the model. */
const ROUTER_TTL_MS = 60 * 60_000;
type RouterEntry = { router: Router; builtAt: number; items: Map<string, repo.ItemRow> };
const routers = new Map<string, RouterEntry>();
const training = new Map<string, Promise<RouterEntry>>();

async function trainFor(ctx: Pick<Ctx, 'db' | 'clock'>, listId: number): Promise<RouterEntry> {
  const rows = (await repo.itemsOfList(ctx.db, listId)).map((r) => ({
    ...r.item,
    categoryCode: r.categoryCode,
  }));
  const examples = [...LABELLED_TICKETS, ...(await repo.resolvedExamples(ctx.db, 20_000))];
  return {
    router: trainRouter(examples, rows),
    builtAt: ctx.clock.now().getTime(),
    items: new Map(rows.map((r) => [r.code, r])),
  };
}

/**
 * The router for the current list: trained on the labelled reports that fit its items plus the
 * latest resolved tickets, falling back to keyword matching when it is unsure. Training takes
 * seconds at city scale, so requests share one training, and an hour-old model keeps answering
 * while its successor trains. main.ts trains it once at start.
 */
export async function currentRouter(ctx: Pick<Ctx, 'db' | 'clock'>): Promise<RouterEntry | undefined> {
  const list = await repo.currentList(ctx.db);
  if (!list) return undefined;
  const key = `${list.id}:${list.version}`;
  const cached = routers.get(key);
  const fresh = cached && ctx.clock.now().getTime() - cached.builtAt < ROUTER_TTL_MS;
  if (!fresh && !training.has(key)) {
    const job = trainFor(ctx, list.id)
      .then((entry) => {
        routers.set(key, entry);
        return entry;
      })
      .finally(() => training.delete(key));
    training.set(key, job);
    // A stale model answers now; its refresh must not surface as an unhandled rejection.
    if (cached) job.catch(() => {});
  }
  return cached ?? training.get(key);
}

export async function suggestItems(ctx: Authed, q: { text: string; place?: string }) {
  const r = await currentRouter(ctx);
  if (!r) return [];
  return r.router.suggest(q.text, { k: 3, place: q.place }).flatMap((s) => {
    const item = r.items.get(s.itemCode);
    if (!item) return [];
    return [
      {
        itemId: item.id,
        itemCode: s.itemCode,
        itemName: s.itemName,
        score: Math.round(s.score * 100) / 100,
        handlerLevel: s.handlerLevel,
        departmentType: s.departmentType,
        departmentName: s.departmentName,
        source: s.source,
        why: r.router.explain(q.text, s.itemCode, 3).map((t) => t.term),
      },
    ];
  });
}

/** A caller's name and phone, unmasked, for the follow-up call: staff on the ticket only, audited. */
export async function revealContact(ctx: Authed, id: number) {
  const t = await repo.ticketVisible(ctx.db, id, workVisible(ctx.actor));
  if (!t) throw new AppError('ticket.not_found');
  await audit(ctx, {
    action: 'pii.reveal',
    entity: 'ticket',
    entityId: id,
    scopePath: t.path,
    detail: { fields: ['contactName', 'contactPhone'], number: t.number },
  });
  return { contactName: t.contactName, contactPhone: t.contactPhone };
}

/** The facts a timeline entry needs in words, from the event's stored data. */
function eventDetails(
  data: Record<string, unknown>,
  deptNames: Map<number, string>,
  regionNames: Map<string, string>,
): TicketView['events'][number]['details'] {
  const d: TicketView['events'][number]['details'] = {};
  if (Array.isArray(data.departmentIds))
    d.departmentNames = (data.departmentIds as number[]).flatMap((id) => deptNames.get(id) ?? []);
  if (typeof data.rating === 'number') d.rating = data.rating;
  if (typeof data.satisfied === 'boolean') d.satisfied = data.satisfied;
  if (data.reopened === true) d.reopened = true;
  if (data.outcome === 'satisfied' || data.outcome === 'unsatisfied' || data.outcome === 'noRating')
    d.outcome = data.outcome;
  if (typeof data.to === 'string') d.toCommunityName = regionNames.get(data.to) ?? data.to;
  if (typeof data.into === 'string') d.intoNumber = data.into;
  if (data.deadline === 'accept' || data.deadline === 'checkIn' || data.deadline === 'resolve')
    d.deadline = data.deadline;
  if (typeof data.dueAt === 'string') d.dueAt = new Date(data.dueAt).toISOString();
  if (data.escalatedTo === 'township' || data.escalatedTo === 'county') d.escalatedTo = data.escalatedTo;
  return d;
}

// Working calendar ------------------------------------------------------------------------------

/** The year's overrides and whether its official holidays are known (e.g. next year's, before
 * the State Council publishes them and the package is updated). Staff may look. */
export async function calendarYear(ctx: Authed, year: number) {
  if (!hasAnyRole(ctx.actor, STAFF_ROLES)) throw new AppError('access.forbidden');
  const rows = await repo.calendarOverrideRows(ctx.db);
  const cal = workCalendar(rows.map((r) => ({ date: r.day, workday: r.workday, note: r.note ?? undefined })));
  return {
    year,
    covered: cal.covers(year),
    overrides: rows
      .filter((r) => r.day.startsWith(`${year}-`))
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((r) => ({ date: r.day, workday: r.workday, note: r.note })),
  };
}

/** City administrators enter the official holiday schedule (or local changes); deadlines use it at once. */
export async function setCalendarDay(
  ctx: Authed,
  day: string,
  v: { workday: boolean; note?: string } | null,
) {
  if (!hasAnyRole(ctx.actor, ['cityAdmin'])) throw new AppError('access.forbidden');
  if (
    Number.isNaN(new Date(`${day}T00:00:00+08:00`).getTime()) ||
    new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day
  )
    throw new AppError('request.invalid', {}, [{ path: 'date', message: 'date' }]);
  // Every instance hears of the change from the table's trigger after COMMIT; this one forgets now,
  // so the administrator's next request already counts with the new day.
  ctx.cache?.forget('calendar_overrides');
  if (v)
    await repo.upsertCalendarOverride(ctx.db, {
      day,
      workday: v.workday,
      note: v.note ?? null,
      by: ctx.actor.userId,
      at: ctx.clock.now(),
    });
  else await repo.deleteCalendarOverride(ctx.db, day);
  await audit(ctx, {
    action: v ? 'calendar.set' : 'calendar.unset',
    entity: 'calendar',
    entityId: day,
    detail: v ?? {},
  });
  return calendarYear(ctx, Number(day.slice(0, 4)));
}
