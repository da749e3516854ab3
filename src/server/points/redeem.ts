/**
 * 积分兑换: merchants registered by their community publish offers (points price, stock,
 * validity, per-member limit); a member redeems one for a voucher with a one-time code, paid by a
 * transfer to the merchant's account; the merchant checks the code in once; the member may cancel
 * an unused voucher and get the points back. Stock and the per-member limit are decided under the
 * offer's row lock, so simultaneous redemptions queue on it and never oversell.
 */
import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, lte, ne, sql } from 'drizzle-orm';
import type { MerchantCreate, OfferCreate, OfferView, VoucherView } from '../../contracts/points.ts';
import { type OfferCategory, VOUCHER_DAYS, type VoucherStatus } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, coversPath } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import * as geo from '../geo/repo.ts';
import { ORG_ROLES } from '../party/policy.ts';
import * as partyRepo from '../party/repo.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { ensureCommunityGrant } from '../users/service.ts';
import { memberAccount, transfer } from './ledger.ts';
import {
  pointsAccounts,
  pointsMerchants,
  pointsMerchantUsers,
  pointsOffers,
  pointsVouchers,
} from './tables.ts';

type Authed = Ctx & { actor: Actor };
const today = (ctx: Ctx) => shanghaiDate(ctx.clock.now());

// Merchants -------------------------------------------------------------------------------------

/** A community registers a merchant (its approval), with the people who work its counter. */
export async function registerMerchant(ctx: Authed, input: MerchantCreate) {
  const c = await geo.regionByCode(ctx.db, input.communityCode);
  if (c?.level !== 'community') throw new AppError('region.not_found');
  if (!coversPath(ctx.actor, ORG_ROLES, c.path)) throw new AppError('region.not_found');
  const staff = input.staffPhones.length
    ? await ctx.db
        .select({ id: users.id, phone: users.phone })
        .from(users)
        .where(inArray(users.phone, input.staffPhones))
    : [];
  const unknown = input.staffPhones.filter((p) => !staff.some((s) => s.phone === p));
  if (unknown.length) throw new AppError('user.not_found');
  const [m] = await ctx.db
    .insert(pointsMerchants)
    .values({
      name: input.name,
      communityCode: c.code,
      path: c.path,
      address: input.address ?? null,
      approvedBy: ctx.actor.userId,
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!m) throw new AppError('merchant.exists', { name: input.name });
  await ctx.db
    .insert(pointsAccounts)
    .values({ kind: 'merchant', merchantId: m.id, createdAt: ctx.clock.now() });
  if (staff.length)
    await ctx.db.insert(pointsMerchantUsers).values(staff.map((s) => ({ merchantId: m.id, userId: s.id })));
  // The merchant role shows the counter (兑换券核销) in their phone app.
  for (const s of staff)
    await ensureCommunityGrant(ctx, s.id, 'merchant', { code: c.code, path: c.path }, { merchantId: m.id });
  await audit(ctx, {
    action: 'points.merchant.register',
    entity: 'points_merchant',
    entityId: m.id,
    scopePath: c.path,
  });
  return { id: m.id, name: m.name, communityCode: m.communityCode, address: m.address ?? null };
}

/** The merchant whose counter the actor works, or that the actor's community registered. */
async function merchantFor(ctx: Authed, merchantId: number) {
  const [m] = await ctx.db.select().from(pointsMerchants).where(eq(pointsMerchants.id, merchantId)).limit(1);
  if (!m) throw new AppError('merchant.not_found');
  if (coversPath(ctx.actor, ORG_ROLES, m.path)) return m;
  const [staff] = await ctx.db
    .select()
    .from(pointsMerchantUsers)
    .where(
      and(eq(pointsMerchantUsers.merchantId, merchantId), eq(pointsMerchantUsers.userId, ctx.actor.userId)),
    )
    .limit(1);
  if (!staff) throw new AppError('merchant.not_found');
  return m;
}

export async function createOffer(ctx: Authed, merchantId: number, input: OfferCreate) {
  const m = await merchantFor(ctx, merchantId);
  if (input.validUntil < input.validFrom || input.validUntil < today(ctx))
    throw new AppError('request.invalid', {}, [
      {
        path: 'validUntil',
        message:
          ctx.locale === 'en'
            ? 'The offer must end after it starts, and not in the past'
            : '截止日期应晚于开始日期，且不早于今天',
      },
    ]);
  const [o] = await ctx.db
    .insert(pointsOffers)
    .values({
      merchantId: m.id,
      title: input.title,
      category: input.category,
      price: input.price,
      stock: input.stock,
      perMemberLimit: input.perMemberLimit,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      createdAt: ctx.clock.now(),
    })
    .returning({ id: pointsOffers.id });
  await audit(ctx, {
    action: 'points.offer.create',
    entity: 'points_offer',
    entityId: o?.id,
    scopePath: m.path,
  });
  return (await offerViews(ctx, eq(pointsOffers.id, o?.id as number)))[0] as OfferView;
}

async function offerViews(ctx: Ctx, where: ReturnType<typeof and>): Promise<OfferView[]> {
  const rows = await ctx.db
    .select({ o: pointsOffers, merchant: pointsMerchants.name, address: pointsMerchants.address })
    .from(pointsOffers)
    .innerJoin(pointsMerchants, eq(pointsMerchants.id, pointsOffers.merchantId))
    .where(where)
    .orderBy(asc(pointsOffers.price), asc(pointsOffers.id))
    .limit(200);
  return rows.map(({ o, merchant, address }) => ({
    id: o.id,
    merchant: { id: o.merchantId, name: merchant, address: address ?? null },
    title: o.title,
    category: o.category as OfferCategory,
    price: o.price,
    stock: o.stock,
    perMemberLimit: o.perMemberLimit,
    validFrom: o.validFrom,
    validUntil: o.validUntil,
  }));
}

// Members ---------------------------------------------------------------------------------------

async function myMember(ctx: Authed) {
  const m = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  if (m?.status !== 'normal') throw new AppError('points.not_member');
  return m;
}

/** What the member's community's merchants offer today, with stock left. */
export async function availableOffers(ctx: Authed): Promise<OfferView[]> {
  const m = await myMember(ctx);
  const on = today(ctx);
  return offerViews(
    ctx,
    and(
      eq(pointsMerchants.communityCode, m.communityCode),
      lte(pointsOffers.validFrom, on),
      gte(pointsOffers.validUntil, on),
      gt(pointsOffers.stock, 0),
    ),
  );
}

/** Twelve digits: what a cashier types when the scanner fails; far too many to guess. */
const newCode = () => String(randomInt(0, 1e6)).padStart(6, '0') + String(randomInt(0, 1e6)).padStart(6, '0');

/** Spends the offer's price on a voucher, once per key. */
export async function redeem(ctx: Authed, offerId: number, key: string): Promise<VoucherView> {
  const m = await myMember(ctx);
  // The offer's lock: redemptions of one offer queue here, so stock and limits are decided one at a time.
  const [o] = await ctx.db
    .select({ o: pointsOffers, communityCode: pointsMerchants.communityCode })
    .from(pointsOffers)
    .innerJoin(pointsMerchants, eq(pointsMerchants.id, pointsOffers.merchantId))
    .where(eq(pointsOffers.id, offerId))
    .for('update', { of: pointsOffers })
    .limit(1);
  if (!o || o.communityCode !== m.communityCode) throw new AppError('offer.not_found');
  const fullKey = `u${ctx.actor.userId}:redeem:${key}`;
  const [again] = await ctx.db
    .select({ id: pointsVouchers.id })
    .from(pointsVouchers)
    .innerJoin(sql`points_transfers t`, sql`t.id = ${pointsVouchers.transferId}`)
    .where(sql`t.idempotency_key = ${fullKey}`)
    .limit(1);
  if (again) return (await voucherViews(ctx, eq(pointsVouchers.id, again.id)))[0] as VoucherView;
  const on = today(ctx);
  if (o.o.validFrom > on || o.o.validUntil < on) throw new AppError('offer.not_valid');
  if (o.o.stock <= 0) throw new AppError('offer.sold_out');
  const [held] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(pointsVouchers)
    .where(
      and(
        eq(pointsVouchers.offerId, offerId),
        eq(pointsVouchers.memberId, m.id),
        ne(pointsVouchers.status, 'cancelled'),
      ),
    );
  if ((held?.n ?? 0) >= o.o.perMemberLimit) throw new AppError('offer.limit', { limit: o.o.perMemberLimit });
  const [merchantAccount] = await ctx.db
    .select({ id: pointsAccounts.id })
    .from(pointsAccounts)
    .where(eq(pointsAccounts.merchantId, o.o.merchantId));
  if (!merchantAccount) throw new Error('points: merchant without an account');
  const paid = await transfer(ctx, {
    key: fullKey,
    kind: 'redeem',
    fromAccountId: await memberAccount(ctx, m.id),
    toAccountId: merchantAccount.id,
    amount: o.o.price,
    reason: o.o.title,
  });
  await ctx.db
    .update(pointsOffers)
    .set({ stock: sql`${pointsOffers.stock} - 1` })
    .where(eq(pointsOffers.id, offerId));
  const now = ctx.clock.now();
  const [v] = await ctx.db
    .insert(pointsVouchers)
    .values({
      offerId,
      memberId: m.id,
      code: newCode(),
      transferId: paid.id,
      expiresAt: new Date(now.getTime() + VOUCHER_DAYS * 86_400_000),
      createdAt: now,
    })
    .returning({ id: pointsVouchers.id });
  return (await voucherViews(ctx, eq(pointsVouchers.id, v?.id as number)))[0] as VoucherView;
}

async function voucherViews(ctx: Ctx, where: ReturnType<typeof and>, o: { showCode?: boolean } = {}) {
  const rows = await ctx.db
    .select({ v: pointsVouchers, offer: pointsOffers, merchant: pointsMerchants.name })
    .from(pointsVouchers)
    .innerJoin(pointsOffers, eq(pointsOffers.id, pointsVouchers.offerId))
    .innerJoin(pointsMerchants, eq(pointsMerchants.id, pointsOffers.merchantId))
    .where(where)
    .orderBy(desc(pointsVouchers.id))
    .limit(200);
  const now = ctx.clock.now();
  return rows.map(
    ({ v, offer, merchant }): VoucherView => ({
      id: v.id,
      code: o.showCode === false ? null : v.code,
      offer: { id: offer.id, title: offer.title, price: offer.price },
      merchant,
      status: v.status as VoucherStatus,
      expired: v.status === 'issued' && v.expiresAt <= now,
      expiresAt: v.expiresAt.toISOString(),
      redeemedAt: v.redeemedAt?.toISOString() ?? null,
      createdAt: v.createdAt.toISOString(),
    }),
  );
}

export async function myVouchers(ctx: Authed): Promise<VoucherView[]> {
  const m = await myMember(ctx);
  return voucherViews(ctx, eq(pointsVouchers.memberId, m.id));
}

/** An unused voucher given back: the points return to the member and the stock to the offer. */
export async function cancelVoucher(ctx: Authed, id: number): Promise<VoucherView> {
  const m = await myMember(ctx);
  const now = ctx.clock.now();
  const [v] = await ctx.db
    .update(pointsVouchers)
    .set({ status: 'cancelled', cancelledAt: now })
    .where(
      and(eq(pointsVouchers.id, id), eq(pointsVouchers.memberId, m.id), eq(pointsVouchers.status, 'issued')),
    )
    .returning();
  if (!v) {
    const [exists] = await ctx.db
      .select({ status: pointsVouchers.status })
      .from(pointsVouchers)
      .where(and(eq(pointsVouchers.id, id), eq(pointsVouchers.memberId, m.id)));
    throw new AppError(exists ? 'voucher.not_issued' : 'voucher.not_found');
  }
  const [o] = await ctx.db.select().from(pointsOffers).where(eq(pointsOffers.id, v.offerId));
  const [merchantAccount] = await ctx.db
    .select({ id: pointsAccounts.id })
    .from(pointsAccounts)
    .where(eq(pointsAccounts.merchantId, o?.merchantId as number));
  const refund = await transfer(ctx, {
    key: `voucher:${v.id}:refund`,
    kind: 'refund',
    fromAccountId: merchantAccount?.id as number,
    toAccountId: await memberAccount(ctx, m.id),
    amount: o?.price as number,
    reason: `退回：${o?.title ?? ''}`,
  });
  await ctx.db.update(pointsVouchers).set({ refundTransferId: refund.id }).where(eq(pointsVouchers.id, v.id));
  await ctx.db
    .update(pointsOffers)
    .set({ stock: sql`${pointsOffers.stock} + 1` })
    .where(eq(pointsOffers.id, v.offerId));
  return (await voucherViews(ctx, eq(pointsVouchers.id, v.id)))[0] as VoucherView;
}

// The merchant's counter --------------------------------------------------------------------------

/**
 * Checks a voucher in at the counter: one conditional UPDATE, so of two scans at once exactly one
 * succeeds; a code of another merchant's, used, cancelled or expired is refused in words.
 */
export async function checkIn(ctx: Authed, code: string): Promise<VoucherView> {
  const mine = await ctx.db
    .select({ id: pointsMerchantUsers.merchantId })
    .from(pointsMerchantUsers)
    .where(eq(pointsMerchantUsers.userId, ctx.actor.userId));
  if (mine.length === 0) throw new AppError('access.forbidden');
  const now = ctx.clock.now();
  const ids = mine.map((x) => x.id);
  const r = (await ctx.db.execute(sql`
    update points_vouchers v set status = 'redeemed', redeemed_at = ${now.toISOString()}::timestamptz, redeemed_by = ${ctx.actor.userId}
    from points_offers o
    where v.offer_id = o.id and v.code = ${code} and v.status = 'issued' and v.expires_at > ${now.toISOString()}::timestamptz
      and o.merchant_id in (${sql.join(ids, sql`, `)})
    returning v.id, o.merchant_id`)) as unknown as {
    rows: { id: string | number; merchant_id: string | number }[];
  };
  const id = r.rows[0]?.id;
  if (id === undefined) {
    const [v] = await ctx.db
      .select({
        status: pointsVouchers.status,
        expiresAt: pointsVouchers.expiresAt,
        merchantId: pointsOffers.merchantId,
      })
      .from(pointsVouchers)
      .innerJoin(pointsOffers, eq(pointsOffers.id, pointsVouchers.offerId))
      .where(eq(pointsVouchers.code, code));
    if (!v || !ids.includes(v.merchantId)) throw new AppError('voucher.not_found');
    if (v.status === 'redeemed') throw new AppError('voucher.used');
    if (v.status === 'cancelled') throw new AppError('voucher.not_issued');
    throw new AppError('voucher.expired');
  }
  const [v] = await voucherViews(ctx, eq(pointsVouchers.id, Number(id)), { showCode: false });
  // The audit entry sits where the voucher's merchant is (someone may staff several counters).
  const [row] = await ctx.db
    .select({ path: pointsMerchants.path })
    .from(pointsMerchants)
    .where(eq(pointsMerchants.id, Number(r.rows[0]?.merchant_id)));
  await audit(ctx, {
    action: 'points.voucher.redeem',
    entity: 'points_voucher',
    entityId: Number(id),
    scopePath: row?.path,
  });
  return v as VoucherView;
}
