/**
 * 积分兑换: merchants registered by their community publish offers (points price, stock,
 * validity, per-member limit); a member redeems one for a voucher with a one-time code, paid by a
 * transfer to the merchant's account; the merchant checks the code in once; the member may cancel
 * an unused voucher and get the points back. Stock and the per-member limit are decided under the
 * offer's row lock, so simultaneous redemptions queue on it and never oversell.
 */
import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { MerchantCreate, OfferCreate, OfferView, VoucherView } from '../../contracts/points.ts';
import { type OfferCategory, VOUCHER_DAYS, type VoucherStatus } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, coversPath } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { fromJsonRow, jsonRowOf, preparedStatement } from '../db/sql.ts';
import * as geo from '../geo/repo.ts';
import { ORG_ROLES } from '../party/policy.ts';
import * as partyRepo from '../party/repo.ts';
import { partyMembers } from '../party/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { ensureCommunityGrant } from '../users/service.ts';
import { memberAccount, transfer } from './ledger.ts';
import {
  pointsAccounts,
  pointsMerchants,
  pointsMerchantUsers,
  pointsOffers,
  pointsTransfers,
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
  return createMerchant(ctx, c, {
    name: input.name,
    address: input.address,
    staffUserIds: staff.map((s) => s.id),
  });
}

/**
 * The registration itself, once the community's approval is established (registerMerchant, or
 * an approved application): the merchant, its redemption account, its counter staff and their
 * merchant role. The caller has checked that the actor covers `community`.
 */
export async function createMerchant(
  ctx: Authed,
  community: { code: string; path: string },
  input: { name: string; address?: string | null; staffUserIds: readonly number[] },
  detail?: Record<string, unknown>,
) {
  const c = community;
  const staffIds = [...new Set(input.staffUserIds)];
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
  if (staffIds.length)
    await ctx.db.insert(pointsMerchantUsers).values(staffIds.map((userId) => ({ merchantId: m.id, userId })));
  // The merchant role shows the counter (兑换券核销) in their phone app.
  for (const id of staffIds)
    await ensureCommunityGrant(ctx, id, 'merchant', { code: c.code, path: c.path }, { merchantId: m.id });
  await audit(ctx, {
    action: 'points.merchant.register',
    entity: 'points_merchant',
    entityId: m.id,
    scopePath: c.path,
    ...(detail ? { detail } : {}),
  });
  return { id: m.id, name: m.name, communityCode: m.communityCode, address: m.address ?? null };
}

/** The merchant whose counter the actor works, or that the actor's community registered. */
export async function merchantFor(ctx: Authed, merchantId: number) {
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

const p = sql.placeholder;

/**
 * The offer's lock (redemptions of one offer queue here, so stock and limits are decided one at
 * a time), read with what deciding needs: its merchant, the merchant's account, and me.
 */
const REDEEM_LOCK = preparedStatement<{
  offer: Record<string, unknown>;
  merchant_name: string;
  merchant_community: string;
  merchant_account: string | null;
  member_id: string | null;
  member_community: string | null;
  member_status: string | null;
  member_account: string | null;
}>(
  'points_redeem_lock',
  sql`
    select ${jsonRowOf(pointsOffers, 'o')} as offer, mm.name as merchant_name, mm.community_code as merchant_community,
      (select a.id from ${pointsAccounts} a where a.merchant_id = o.merchant_id) as merchant_account,
      m.id as member_id, m.community_code as member_community, m.status as member_status,
      (select a.id from ${pointsAccounts} a where a.member_id = m.id) as member_account
    from ${pointsOffers} o
    join ${pointsMerchants} mm on mm.id = o.merchant_id
    left join ${partyMembers} m on m.user_id = ${p('userId')}::bigint
    where o.id = ${p('offerId')}::bigint
    for update of o
  `,
);

/** Read after the lock: a voucher already made for this key, and how many of the offer I hold. */
const REDEEM_SEEN = preparedStatement<{ again: string | null; held: number }>(
  'points_redeem_seen',
  sql`
    select (select v.id from ${pointsVouchers} v join ${pointsTransfers} t on t.id = v.transfer_id
            where t.idempotency_key = ${p('key')}::text) as again,
      (select count(*)::int from ${pointsVouchers} v
        where v.offer_id = ${p('offerId')}::bigint and v.member_id = ${p('memberId')}::bigint
          and (v.status = 'redeemed' or (v.status = 'issued' and v.expires_at > ${p('now')}::timestamptz))) as held
  `,
);

/** One off the stock, and the voucher. */
const ISSUE = preparedStatement<{ id: string }>(
  'points_issue_voucher',
  sql`
    with s as (update ${pointsOffers} set stock = stock - 1 where id = ${p('offerId')}::bigint)
    insert into ${pointsVouchers} (offer_id, member_id, code, transfer_id, expires_at, created_at)
    values (${p('offerId')}::bigint, ${p('memberId')}::bigint, ${p('code')}::text, ${p('transferId')}::bigint,
      ${p('expiresAt')}::timestamptz, ${p('at')}::timestamptz)
    returning id
  `,
);

/**
 * Spends the offer's price on a voucher, once per key. Redemption is the busiest write of the
 * points domain, so the decision is read in two statements (the locked offer with everything
 * about it, then what is already held) and the voucher is one.
 */
export async function redeem(ctx: Authed, offerId: number, key: string): Promise<VoucherView> {
  const lock = async () => (await REDEEM_LOCK.run(ctx.db, { userId: ctx.actor.userId, offerId }))[0];
  let x = await lock();
  if (x && x.member_id === null && (await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone)))
    x = await lock(); // my record, just linked by my phone
  if (x && x.member_status !== 'normal') throw new AppError('points.not_member');
  if (!x || x.merchant_community !== x.member_community) throw new AppError('offer.not_found');
  if (!x.member_id) throw new AppError('points.not_member');
  const o = fromJsonRow(pointsOffers, x.offer);
  const memberId = Number(x.member_id);
  const fullKey = `u${ctx.actor.userId}:redeem:${key}`;
  const now = ctx.clock.now();
  const [seen] = await REDEEM_SEEN.run(ctx.db, { key: fullKey, offerId, memberId, now: now.toISOString() });
  if (seen?.again)
    return (await voucherViews(ctx, eq(pointsVouchers.id, Number(seen.again))))[0] as VoucherView;
  const on = today(ctx);
  if (o.validFrom > on || o.validUntil < on) throw new AppError('offer.not_valid');
  if (o.stock <= 0) throw new AppError('offer.sold_out');
  // Given back or lapsed unused (even before the expiry sweep has refunded it): it no longer counts.
  if ((seen?.held ?? 0) >= o.perMemberLimit) throw new AppError('offer.limit', { limit: o.perMemberLimit });
  if (!x.merchant_account) throw new Error('points: merchant without an account');
  const paid = await transfer(ctx, {
    key: fullKey,
    kind: 'redeem',
    fromAccountId: x.member_account ? Number(x.member_account) : await memberAccount(ctx, memberId),
    toAccountId: Number(x.merchant_account),
    amount: o.price,
    reason: o.title,
  });
  const code = newCode();
  const expiresAt = new Date(now.getTime() + VOUCHER_DAYS * 86_400_000);
  const [v] = await ISSUE.run(ctx.db, {
    offerId,
    memberId,
    code,
    transferId: paid.id,
    expiresAt: expiresAt.toISOString(),
    at: now.toISOString(),
  });
  return {
    id: Number(v?.id),
    code,
    offer: { id: o.id, title: o.title, price: o.price },
    merchant: x.merchant_name,
    status: 'issued',
    expired: false,
    expiresAt: expiresAt.toISOString(),
    redeemedAt: null,
    createdAt: now.toISOString(),
  };
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
    if (!exists) throw new AppError('voucher.not_found');
    throw new AppError(
      exists.status === 'expired'
        ? 'voucher.expired'
        : exists.status === 'redeemed'
          ? 'voucher.used'
          : 'voucher.not_issued',
    );
  }
  // The offer's lock before the accounts', in the order redeem() and the expiry sweep take them.
  const [o] = await ctx.db.select().from(pointsOffers).where(eq(pointsOffers.id, v.offerId)).for('update');
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
