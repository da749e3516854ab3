/**
 * Vouchers nobody used before they expired: each is marked 'expired', its points go back to the
 * member by a refund transfer and its unit back to the offer's stock. Idempotent and safe on
 * several instances: each voucher is taken in its own short transaction with FOR UPDATE SKIP
 * LOCKED (an instance skips what another holds), only while still 'issued' (so it is done once),
 * and the refund's idempotency key is the voucher's own (`voucher:<id>:refund`, the key a
 * cancellation would use), so no voucher can be refunded twice whatever happens. Locks are taken
 * voucher, then offer, then accounts: the order redeem() and cancelVoucher() use.
 */

import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { audit } from '../core/audit.ts';
import type { Clock } from '../core/clock.ts';
import { type Ctx, inRetriedTransaction } from '../core/context.ts';
import type { Db } from '../db/index.ts';
import { memberAccount, transfer } from './ledger.ts';

export interface ExpiryResult {
  /** Vouchers marked expired and refunded by this run. */
  expired: number;
  /** Points returned to members. */
  points: number;
  /** Vouchers that could not be refunded (logged; tried again next run). */
  failed: number;
}

/** Vouchers handled per run, so one run stays short on the embedded database. */
const BATCH = 500;

const rowsOf = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;

/** Expires one voucher if it is still issued, past its time and not held by someone else. */
async function expireOne(ctx: Ctx, id: number): Promise<number | null> {
  const now = ctx.clock.now();
  const [v] = rowsOf(
    await ctx.db.execute(sql`
      select id, offer_id, member_id, transfer_id from points_vouchers
      where id = ${id} and status = 'issued' and expires_at <= ${now}
      for update skip locked`),
  );
  if (!v) return null;
  const [o] = rowsOf(
    await ctx.db.execute(sql`
      select o.id, o.title, o.merchant_id, m.path, a.id as account_id
      from points_offers o
      join points_merchants m on m.id = o.merchant_id
      join points_accounts a on a.merchant_id = o.merchant_id
      where o.id = ${Number(v.offer_id)}
      for update of o`),
  );
  const [paid] = rowsOf(
    await ctx.db.execute(sql`select amount from points_transfers where id = ${Number(v.transfer_id)}`),
  );
  if (!o || !paid) throw new Error(`points: voucher ${id} without its offer, account or payment`);
  const amount = Number(paid.amount);
  const refund = await transfer(ctx, {
    key: `voucher:${id}:refund`,
    kind: 'refund',
    fromAccountId: Number(o.account_id),
    toAccountId: await memberAccount(ctx, Number(v.member_id)),
    amount,
    reason: `过期退回：${String(o.title)}`,
  });
  await ctx.db.execute(sql`
    update points_vouchers set status = 'expired', refund_transfer_id = ${refund.id}
    where id = ${id} and status = 'issued'`);
  await ctx.db.execute(sql`update points_offers set stock = stock + 1 where id = ${Number(o.id)}`);
  await audit(ctx, {
    action: 'points.voucher.expire',
    entity: 'points_voucher',
    entityId: id,
    scopePath: String(o.path),
    detail: { points: amount, refundTransferId: refund.id },
  });
  return amount;
}

/** One round of the sweep: up to BATCH vouchers past their time, each in its own transaction. */
export async function runVoucherExpiry(
  db: Db,
  clock: Clock,
  log: FastifyBaseLogger = pino({ level: 'silent' }),
): Promise<ExpiryResult> {
  const ctx: Ctx = { db, actor: null, clock, ip: null, locale: 'zh-CN', log };
  const due = rowsOf(
    await db.execute(sql`
      select id from points_vouchers
      where status = 'issued' and expires_at <= ${clock.now()}
      order by expires_at, id limit ${BATCH}`),
  ).map((r) => Number(r.id));
  const result: ExpiryResult = { expired: 0, points: 0, failed: 0 };
  for (const id of due) {
    try {
      const points = await inRetriedTransaction(ctx, (tx) => expireOne(tx, id));
      if (points === null) continue;
      result.expired++;
      result.points += points;
    } catch (err) {
      // One voucher that cannot be refunded must not hold up the others; it is retried next run.
      result.failed++;
      log.error({ err, voucherId: id }, 'voucher expiry failed');
    }
  }
  return result;
}
