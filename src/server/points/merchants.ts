/**
 * The merchant side of points. A business applies to join its community from the phone app; the
 * community (and those above it) approves, which registers the merchant with the applicant at its
 * counter (redeem.ts createMerchant), or rejects with a reason. The console lists the merchants of
 * the viewer's area with their offers, and adds stock to an offer, takes some away or closes it
 * early, always under the offer's row lock, so the stock never goes below zero while members
 * redeem. Monthly statements list the vouchers a merchant checked in, for its counter and its
 * community, also as .xlsx.
 */
import { and, asc, desc, eq, gte, inArray, like, lt, or, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type {
  MerchantAdminView,
  MerchantApplicationCreate,
  MerchantApplicationView,
  MerchantListQuery,
  MerchantStatement,
  MyCounter,
  OfferAdminView,
  OfferState,
} from '../../contracts/points-merchants.ts';
import type { ApplicationStatus, OfferCategory } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, coversPath, scopesFor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import * as geo from '../geo/repo.ts';
import { regions } from '../geo/tables.ts';
import { ORG_ROLES } from '../party/policy.ts';
import { partyMembers } from '../party/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { createMerchant, merchantFor } from './redeem.ts';
import {
  pointsAccounts,
  pointsMerchantApplications,
  pointsMerchants,
  pointsMerchantUsers,
  pointsOffers,
  pointsTransfers,
  pointsVouchers,
} from './tables.ts';

type Authed = Ctx & { actor: Actor };

/** Someone may have a few applications waiting at once, not a flood. */
export const MAX_PENDING_APPLICATIONS = 3;
/** Offers listed per merchant in the console, newest first. */
const OFFERS_PER_MERCHANT = 50;

const invalid = (ctx: Ctx, path: string, zh: string, en: string) =>
  new AppError('request.invalid', {}, [{ path, message: ctx.locale === 'en' ? en : zh }]);

// Applications -----------------------------------------------------------------------------------

type ApplicationRow = typeof pointsMerchantApplications.$inferSelect;

async function applicationViews(
  ctx: Authed,
  rows: ApplicationRow[],
  viewer: 'applicant' | 'staff',
): Promise<MerchantApplicationView[]> {
  if (rows.length === 0) return [];
  const communities = await geo.regionsByCodes(ctx.db, [...new Set(rows.map((r) => r.communityCode))]);
  const applicants = await ctx.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(inArray(users.id, [...new Set(rows.map((r) => r.applicantUserId))]));
  const merchantIds = rows.map((r) => r.merchantId).filter((x): x is number => x !== null);
  const merchants = merchantIds.length
    ? await ctx.db
        .select({ id: pointsMerchants.id, name: pointsMerchants.name })
        .from(pointsMerchants)
        .where(inArray(pointsMerchants.id, merchantIds))
    : [];
  return rows.map((r) => {
    const staff = viewer === 'staff';
    const decide = staff && r.status === 'pending' && coversPath(ctx.actor, ORG_ROLES, r.path);
    const m = merchants.find((x) => x.id === r.merchantId);
    return {
      id: r.id,
      community: {
        code: r.communityCode,
        name: communities.find((c) => c.code === r.communityCode)?.name ?? r.communityCode,
      },
      name: r.name,
      address: r.address ?? null,
      categories: r.categories as OfferCategory[],
      contactName: staff ? maskName(r.contactName) : r.contactName,
      contactPhone: staff ? maskPhone(r.contactPhone) : r.contactPhone,
      note: r.note ?? null,
      applicant: maskName(applicants.find((u) => u.id === r.applicantUserId)?.name ?? ''),
      status: r.status as ApplicationStatus,
      reason: r.reason ?? null,
      merchant: m ? { id: m.id, name: m.name } : null,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      can: { decide, reveal: staff && coversPath(ctx.actor, ORG_ROLES, r.path) },
    };
  });
}

/** A business owner (anyone signed in) asks their community to take them on as a merchant. */
export async function applyAsMerchant(
  ctx: Authed,
  input: MerchantApplicationCreate,
): Promise<MerchantApplicationView> {
  const c = await geo.regionByCode(ctx.db, input.communityCode);
  if (c?.level !== 'community') throw new AppError('region.not_found');
  const [pending] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(pointsMerchantApplications)
    .where(
      and(
        eq(pointsMerchantApplications.applicantUserId, ctx.actor.userId),
        eq(pointsMerchantApplications.status, 'pending'),
      ),
    );
  if ((pending?.n ?? 0) >= MAX_PENDING_APPLICATIONS)
    throw new AppError('merchant_application.too_many', { max: MAX_PENDING_APPLICATIONS });
  const [taken] = await ctx.db
    .select({ id: pointsMerchants.id })
    .from(pointsMerchants)
    .where(and(eq(pointsMerchants.communityCode, c.code), eq(pointsMerchants.name, input.name)))
    .limit(1);
  if (taken) throw new AppError('merchant.exists', { name: input.name });
  const [a] = await ctx.db
    .insert(pointsMerchantApplications)
    .values({
      communityCode: c.code,
      path: c.path,
      name: input.name,
      address: input.address || null,
      categories: [...new Set(input.categories)],
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      note: input.note || null,
      applicantUserId: ctx.actor.userId,
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!a) throw new AppError('merchant_application.pending_exists', { name: input.name });
  await audit(ctx, {
    action: 'points.merchant_application.create',
    entity: 'points_merchant_application',
    entityId: a.id,
    scopePath: c.path,
  });
  return (await applicationViews(ctx, [a], 'applicant'))[0] as MerchantApplicationView;
}

/** My applications and what became of them, newest first. */
export async function myApplications(ctx: Authed): Promise<MerchantApplicationView[]> {
  const rows = await ctx.db
    .select()
    .from(pointsMerchantApplications)
    .where(eq(pointsMerchantApplications.applicantUserId, ctx.actor.userId))
    .orderBy(desc(pointsMerchantApplications.id))
    .limit(50);
  return applicationViews(ctx, rows, 'applicant');
}

/** Applications to the communities the actor approves for (community level and above). */
export async function listApplications(
  ctx: Authed,
  q: { status: ApplicationStatus },
): Promise<MerchantApplicationView[]> {
  const rows = await ctx.db
    .select()
    .from(pointsMerchantApplications)
    .where(
      and(
        scopeWhere(pointsMerchantApplications.path, scopesFor(ctx.actor, ORG_ROLES)),
        eq(pointsMerchantApplications.status, q.status),
      ),
    )
    .orderBy(
      q.status === 'pending' ? asc(pointsMerchantApplications.id) : desc(pointsMerchantApplications.id),
    )
    .limit(200);
  return applicationViews(ctx, rows, 'staff');
}

/** The application, locked for a decision; one outside the actor's area is not found. */
async function pendingApplication(ctx: Authed, id: number) {
  const [a] = await ctx.db
    .select()
    .from(pointsMerchantApplications)
    .where(eq(pointsMerchantApplications.id, id))
    .for('update')
    .limit(1);
  if (!a || !coversPath(ctx.actor, ORG_ROLES, a.path)) throw new AppError('merchant_application.not_found');
  if (a.status !== 'pending') throw new AppError('merchant_application.decided');
  return a;
}

/**
 * Approval registers the merchant as the community would register one directly, with the
 * applicant (and anyone else named) at its counter.
 */
export async function approveApplication(
  ctx: Authed,
  id: number,
  input: { staffPhones: string[] },
): Promise<MerchantApplicationView> {
  const a = await pendingApplication(ctx, id);
  const extra = input.staffPhones.length
    ? await ctx.db
        .select({ id: users.id, phone: users.phone })
        .from(users)
        .where(inArray(users.phone, input.staffPhones))
    : [];
  if (input.staffPhones.some((p) => !extra.some((u) => u.phone === p))) throw new AppError('user.not_found');
  const m = await createMerchant(
    ctx,
    { code: a.communityCode, path: a.path },
    { name: a.name, address: a.address, staffUserIds: [a.applicantUserId, ...extra.map((u) => u.id)] },
    { applicationId: a.id },
  );
  const [done] = await ctx.db
    .update(pointsMerchantApplications)
    .set({ status: 'approved', merchantId: m.id, decidedBy: ctx.actor.userId, decidedAt: ctx.clock.now() })
    .where(eq(pointsMerchantApplications.id, a.id))
    .returning();
  await audit(ctx, {
    action: 'points.merchant_application.approve',
    entity: 'points_merchant_application',
    entityId: a.id,
    scopePath: a.path,
    detail: { merchantId: m.id },
  });
  return (await applicationViews(ctx, [done as ApplicationRow], 'staff'))[0] as MerchantApplicationView;
}

export async function rejectApplication(
  ctx: Authed,
  id: number,
  input: { reason: string },
): Promise<MerchantApplicationView> {
  const a = await pendingApplication(ctx, id);
  const [done] = await ctx.db
    .update(pointsMerchantApplications)
    .set({
      status: 'rejected',
      reason: input.reason,
      decidedBy: ctx.actor.userId,
      decidedAt: ctx.clock.now(),
    })
    .where(eq(pointsMerchantApplications.id, a.id))
    .returning();
  await audit(ctx, {
    action: 'points.merchant_application.reject',
    entity: 'points_merchant_application',
    entityId: a.id,
    scopePath: a.path,
  });
  return (await applicationViews(ctx, [done as ApplicationRow], 'staff'))[0] as MerchantApplicationView;
}

/** The contact's name and phone unmasked, to call them back; the look is audited. */
export async function revealApplicationContact(ctx: Authed, id: number) {
  const [a] = await ctx.db
    .select()
    .from(pointsMerchantApplications)
    .where(eq(pointsMerchantApplications.id, id))
    .limit(1);
  if (!a || !coversPath(ctx.actor, ORG_ROLES, a.path)) throw new AppError('merchant_application.not_found');
  await audit(ctx, {
    action: 'pii.reveal',
    entity: 'points_merchant_application',
    entityId: a.id,
    scopePath: a.path,
    detail: { fields: ['contactName', 'contactPhone'] },
  });
  return { contactName: a.contactName, contactPhone: a.contactPhone };
}

// Merchants and offers in the console ------------------------------------------------------------

const today = (ctx: Ctx) => shanghaiDate(ctx.clock.now());
/** The day before `date` (YYYY-MM-DD). */
const dayBefore = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function offerState(o: { validFrom: string; validUntil: string; stock: number }, on: string): OfferState {
  if (o.validUntil < on) return 'ended';
  if (o.validFrom > on) return 'upcoming';
  return o.stock > 0 ? 'active' : 'soldOut';
}

type OfferRow = typeof pointsOffers.$inferSelect;

async function offerAdminViews(ctx: Authed, offers: OfferRow[], canEdit: (merchantId: number) => boolean) {
  if (offers.length === 0) return [];
  const now = ctx.clock.now();
  const counts = await ctx.db
    .select({
      offerId: pointsVouchers.offerId,
      redeemed: sql<number>`count(*) filter (where ${pointsVouchers.status} = 'redeemed')::int`,
      outstanding: sql<number>`count(*) filter (where ${pointsVouchers.status} = 'issued' and ${pointsVouchers.expiresAt} > ${now})::int`,
    })
    .from(pointsVouchers)
    .where(
      inArray(
        pointsVouchers.offerId,
        offers.map((o) => o.id),
      ),
    )
    .groupBy(pointsVouchers.offerId);
  const on = today(ctx);
  return offers.map((o): OfferAdminView => {
    const c = counts.find((x) => Number(x.offerId) === o.id);
    const state = offerState(o, on);
    return {
      id: o.id,
      merchantId: o.merchantId,
      title: o.title,
      category: o.category as OfferCategory,
      price: o.price,
      stock: o.stock,
      redeemed: Number(c?.redeemed ?? 0),
      outstanding: Number(c?.outstanding ?? 0),
      perMemberLimit: o.perMemberLimit,
      validFrom: o.validFrom,
      validUntil: o.validUntil,
      state,
      can: { edit: state !== 'ended' && canEdit(o.merchantId) },
    };
  });
}

/**
 * The merchants of the actor's area (community level and above), newest first, each with its
 * offers, its counter staff (masked) and the balance of its redemption account.
 */
export async function listMerchants(
  ctx: Authed,
  q: MerchantListQuery,
): Promise<{ items: MerchantAdminView[]; nextCursor: string | null }> {
  const conds = [scopeWhere(pointsMerchants.path, scopesFor(ctx.actor, ORG_ROLES))];
  if (q.region) {
    const r = await geo.regionByCode(ctx.db, q.region);
    if (!r) throw new AppError('region.not_found');
    conds.push(like(pointsMerchants.path, `${r.path.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  }
  if (q.q) conds.push(like(pointsMerchants.name, `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  const cursor = q.cursor ? Number(q.cursor) : null;
  if (cursor !== null && Number.isSafeInteger(cursor)) conds.push(lt(pointsMerchants.id, cursor));
  const rows = await ctx.db
    .select({ m: pointsMerchants, community: regions.name })
    .from(pointsMerchants)
    .innerJoin(regions, eq(regions.code, pointsMerchants.communityCode))
    .where(and(...conds))
    .orderBy(desc(pointsMerchants.id))
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const list = rows.slice(0, q.limit);
  if (list.length === 0) return { items: [], nextCursor: null };
  const ids = list.map((r) => r.m.id);
  const offers = (await ctx.db.execute(sql`
    select id from (
      select id, row_number() over (partition by merchant_id order by valid_until desc, id desc) as n
      from points_offers where merchant_id in (${sql.join(ids, sql`, `)})
    ) x where n <= ${OFFERS_PER_MERCHANT}`)) as unknown as { rows: { id: string | number }[] };
  const offerIds = offers.rows.map((r) => Number(r.id));
  const offerRows = offerIds.length
    ? await ctx.db
        .select()
        .from(pointsOffers)
        .where(inArray(pointsOffers.id, offerIds))
        .orderBy(desc(pointsOffers.validUntil), desc(pointsOffers.id))
    : [];
  const paths = new Map(list.map((r) => [r.m.id, r.m.path]));
  const offerViews = await offerAdminViews(ctx, offerRows, (mid) =>
    coversPath(ctx.actor, ORG_ROLES, paths.get(mid) ?? '\u0000'),
  );
  const staff = await ctx.db
    .select({ merchantId: pointsMerchantUsers.merchantId, name: users.name, phone: users.phone })
    .from(pointsMerchantUsers)
    .innerJoin(users, eq(users.id, pointsMerchantUsers.userId))
    .where(inArray(pointsMerchantUsers.merchantId, ids))
    .orderBy(asc(users.id));
  const accounts = await ctx.db
    .select({ merchantId: pointsAccounts.merchantId, balance: pointsAccounts.balance })
    .from(pointsAccounts)
    .where(inArray(pointsAccounts.merchantId, ids));
  return {
    items: list.map(({ m, community }) => ({
      id: m.id,
      name: m.name,
      community: { code: m.communityCode, name: community },
      address: m.address ?? null,
      staff: staff
        .filter((s) => s.merchantId === m.id)
        .map((s) => ({ name: maskName(s.name), phone: maskPhone(s.phone) })),
      balance: Number(accounts.find((a) => a.merchantId === m.id)?.balance ?? 0),
      offers: offerViews.filter((o) => o.merchantId === m.id),
      createdAt: m.createdAt.toISOString(),
      can: { edit: coversPath(ctx.actor, ORG_ROLES, m.path) },
    })),
    nextCursor: more ? String(list[list.length - 1]?.m.id) : null,
  };
}

/**
 * The offer under its row lock (where redemptions queue), if the actor works its merchant's
 * counter or covers its community; otherwise it is not found.
 */
async function lockedOffer(ctx: Authed, offerId: number) {
  const [row] = await ctx.db
    .select({ o: pointsOffers, path: pointsMerchants.path })
    .from(pointsOffers)
    .innerJoin(pointsMerchants, eq(pointsMerchants.id, pointsOffers.merchantId))
    .where(eq(pointsOffers.id, offerId))
    .for('update', { of: pointsOffers })
    .limit(1);
  if (!row) throw new AppError('offer.not_found');
  if (!coversPath(ctx.actor, ORG_ROLES, row.path)) {
    const [staff] = await ctx.db
      .select({ id: pointsMerchantUsers.userId })
      .from(pointsMerchantUsers)
      .where(
        and(
          eq(pointsMerchantUsers.merchantId, row.o.merchantId),
          eq(pointsMerchantUsers.userId, ctx.actor.userId),
        ),
      )
      .limit(1);
    if (!staff) throw new AppError('offer.not_found');
  }
  if (offerState(row.o, today(ctx)) === 'ended') throw new AppError('offer.ended');
  return row;
}

async function oneOfferView(ctx: Authed, offerId: number) {
  const [o] = await ctx.db.select().from(pointsOffers).where(eq(pointsOffers.id, offerId));
  return (await offerAdminViews(ctx, [o as OfferRow], () => true))[0] as OfferAdminView;
}

/**
 * Adds stock to an offer or takes some away. Decided under the offer's row lock, where
 * redemptions queue too, so taking away never leaves less than zero (and the database refuses it).
 */
export async function changeStock(ctx: Authed, offerId: number, change: number): Promise<OfferAdminView> {
  if (change === 0)
    throw invalid(ctx, 'change', '请填写要增加或减少的数量', 'Enter how much to add or take away');
  const { o, path } = await lockedOffer(ctx, offerId);
  if (o.stock + change < 0) throw new AppError('offer.stock_short', { stock: o.stock, change: -change });
  await ctx.db
    .update(pointsOffers)
    .set({ stock: sql`${pointsOffers.stock} + ${change}` })
    .where(eq(pointsOffers.id, offerId));
  await audit(ctx, {
    action: 'points.offer.stock',
    entity: 'points_offer',
    entityId: offerId,
    scopePath: path,
    detail: { from: o.stock, to: o.stock + change },
  });
  return oneOfferView(ctx, offerId);
}

/**
 * Ends an offer early: its last day becomes yesterday, so nobody can redeem it from now on.
 * Vouchers already issued stay good until they expire.
 */
export async function closeOffer(ctx: Authed, offerId: number): Promise<OfferAdminView> {
  const { o, path } = await lockedOffer(ctx, offerId);
  const last = dayBefore(today(ctx));
  await ctx.db
    .update(pointsOffers)
    // An offer that had not started yet: its first day moves back too (dates compare as text).
    .set({ validUntil: last, validFrom: [o.validFrom, last].sort()[0] })
    .where(eq(pointsOffers.id, offerId));
  await audit(ctx, {
    action: 'points.offer.close',
    entity: 'points_offer',
    entityId: offerId,
    scopePath: path,
    detail: { validFrom: o.validFrom, validUntil: o.validUntil, stockLeft: o.stock },
  });
  return oneOfferView(ctx, offerId);
}

/** The counters the actor works (merchant staff). */
export async function myCounters(ctx: Authed): Promise<MyCounter[]> {
  return ctx.db
    .select({ id: pointsMerchants.id, name: pointsMerchants.name, address: pointsMerchants.address })
    .from(pointsMerchantUsers)
    .innerJoin(pointsMerchants, eq(pointsMerchants.id, pointsMerchantUsers.merchantId))
    .where(eq(pointsMerchantUsers.userId, ctx.actor.userId))
    .orderBy(asc(pointsMerchants.id));
}

// Monthly statements ---------------------------------------------------------------------------

/** A month's first instant and the next month's, in Asia/Shanghai (UTC+8 all year). */
export function monthRange(ctx: Ctx, month: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100)
    throw invalid(ctx, 'month', '月份格式应为 年-月，如 2026-11', 'A month is written YYYY-MM, e.g. 2026-11');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const start = new Date(Date.UTC(y, mo - 1, 1) - 8 * 3_600_000);
  const end = new Date(Date.UTC(y, mo, 1) - 8 * 3_600_000);
  return { start, end };
}

/**
 * A merchant's month: each voucher checked in (when, which offer, the points it carried, the
 * member masked), the totals, and the balance of its redemption account at the month's end and
 * now. For its counter staff and its community and above.
 */
export async function merchantStatement(
  ctx: Authed,
  merchantId: number,
  month = today(ctx).slice(0, 7),
): Promise<MerchantStatement> {
  const { start, end } = monthRange(ctx, month);
  const m = await merchantFor(ctx, merchantId);
  const rows = await ctx.db
    .select({
      id: pointsVouchers.id,
      redeemedAt: pointsVouchers.redeemedAt,
      offer: pointsOffers.title,
      points: pointsTransfers.amount,
      member: partyMembers.name,
    })
    .from(pointsVouchers)
    .innerJoin(pointsOffers, eq(pointsOffers.id, pointsVouchers.offerId))
    .innerJoin(pointsTransfers, eq(pointsTransfers.id, pointsVouchers.transferId))
    .innerJoin(partyMembers, eq(partyMembers.id, pointsVouchers.memberId))
    .where(
      and(
        eq(pointsOffers.merchantId, m.id),
        eq(pointsVouchers.status, 'redeemed'),
        gte(pointsVouchers.redeemedAt, start),
        lt(pointsVouchers.redeemedAt, end),
      ),
    )
    .orderBy(asc(pointsVouchers.redeemedAt), asc(pointsVouchers.id));
  const [account] = await ctx.db
    .select({ id: pointsAccounts.id, balance: pointsAccounts.balance })
    .from(pointsAccounts)
    .where(eq(pointsAccounts.merchantId, m.id));
  let atEnd = Number(account?.balance ?? 0);
  if (account && end <= ctx.clock.now()) {
    const [sum] = await ctx.db
      .select({
        n: sql<string>`coalesce(sum(case when ${pointsTransfers.toAccountId} = ${account.id} then ${pointsTransfers.amount} else -${pointsTransfers.amount} end), 0)`,
      })
      .from(pointsTransfers)
      .where(
        and(
          or(eq(pointsTransfers.toAccountId, account.id), eq(pointsTransfers.fromAccountId, account.id)),
          lt(pointsTransfers.createdAt, end),
        ),
      );
    atEnd = Number(sum?.n ?? 0);
  }
  const [community] = await ctx.db
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, m.communityCode));
  const lines = rows.map((r) => ({
    voucherId: r.id,
    redeemedAt: (r.redeemedAt as Date).toISOString(),
    offer: r.offer,
    points: Number(r.points),
    member: maskName(r.member),
  }));
  return {
    merchant: { id: m.id, name: m.name, community: community?.name ?? m.communityCode },
    month,
    lines,
    totals: { vouchers: lines.length, points: lines.reduce((s, l) => s + l.points, 0) },
    balanceAtMonthEnd: atEnd,
    balance: Number(account?.balance ?? 0),
  };
}

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai. */
const shanghai = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** The statement as .xlsx (members masked as on screen); the export is audited. */
export async function statementWorkbook(ctx: Authed, merchantId: number, m?: string) {
  const s = await merchantStatement(ctx, merchantId, m);
  const month = s.month;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${month} 对账单`);
  ws.addRow([`${s.merchant.name}（${s.merchant.community}）积分兑换对账单 ${month}`]).font = {
    bold: true,
    size: 13,
  };
  ws.addRow([]);
  const header = ws.addRow(['序号', '核销时间', '优惠', '积分', '兑换党员', '兑换券编号']);
  header.font = { bold: true };
  ws.columns = [{ width: 6 }, { width: 18 }, { width: 30 }, { width: 8 }, { width: 12 }, { width: 12 }];
  s.lines.forEach((l, i) => {
    ws.addRow([i + 1, shanghai(l.redeemedAt), l.offer, l.points, l.member, l.voucherId]);
  });
  ws.addRow([]);
  ws.addRow(['合计', `${s.totals.vouchers} 张`, null, s.totals.points]).font = { bold: true };
  ws.addRow(['月末账户积分', null, null, s.balanceAtMonthEnd]);
  ws.addRow(['当前账户积分', null, null, s.balance]);
  const [merchant] = await ctx.db
    .select({ path: pointsMerchants.path })
    .from(pointsMerchants)
    .where(eq(pointsMerchants.id, merchantId));
  await audit(ctx, {
    action: 'points.statement.export',
    entity: 'points_merchant',
    entityId: merchantId,
    scopePath: merchant?.path,
    detail: { month },
  });
  return { merchantName: s.merchant.name, month, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
