/**
 * The points ledger: accounts and transfers. Points are money-like: a transfer moves a positive
 * amount between two accounts (two movements that sum to zero), both accounts are locked in id
 * order for it (so concurrent spends queue instead of overdrawing, and two transfers in opposite
 * directions cannot deadlock), the balances change in the same transaction, the database refuses
 * a negative balance, and the idempotency key makes a retried request post once. Callers run it
 * inside a retried transaction (core/context.ts inRetriedTransaction).
 */
import { createHash } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { PointSource, TransferKind } from '../../contracts/points-states.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/index.ts';
import { pointsAccounts, pointsTransfers } from './tables.ts';

export interface TransferInput {
  /** Unique per intended transfer; the same key with the same request returns the first result. */
  key: string;
  kind: TransferKind;
  fromAccountId: number;
  toAccountId: number;
  amount: number;
  source?: PointSource | null;
  reason: string;
  evidence?: string | null;
  approvedBy?: number | null;
}

export interface Posted {
  id: number;
  /** true: this key had already been posted with the same request; nothing moved now. */
  replayed: boolean;
}

function requestHash(t: TransferInput): string {
  const { key: _key, approvedBy: _by, ...what } = t;
  return createHash('sha256')
    .update(JSON.stringify({ ...what, source: what.source ?? null, evidence: what.evidence ?? null }))
    .digest('hex');
}

/** Moves `amount` from one account to another, once per key. */
export async function transfer(ctx: Ctx, t: TransferInput): Promise<Posted> {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new Error(`points: bad amount ${t.amount}`);
  if (t.fromAccountId === t.toAccountId) throw new Error('points: transfer to the same account');
  const db = ctx.db;
  // Locks first: a concurrent request with the same key waits here, then finds it posted below.
  const locked = await db
    .select({ id: pointsAccounts.id, kind: pointsAccounts.kind, balance: pointsAccounts.balance })
    .from(pointsAccounts)
    .where(inArray(pointsAccounts.id, [t.fromAccountId, t.toAccountId]))
    .orderBy(pointsAccounts.id)
    .for('update');
  if (locked.length !== 2) throw new Error('points: account missing');
  const hash = requestHash(t);
  const [done] = await db
    .select({ id: pointsTransfers.id, hash: pointsTransfers.requestHash })
    .from(pointsTransfers)
    .where(eq(pointsTransfers.idempotencyKey, t.key))
    .limit(1);
  if (done) {
    if (done.hash !== hash) throw new AppError('points.key_reused');
    return { id: done.id, replayed: true };
  }
  const from = locked.find((a) => a.id === t.fromAccountId);
  if (from && from.kind !== 'issuer' && from.balance < t.amount)
    throw new AppError('points.insufficient', { balance: from.balance, needed: t.amount });
  const [row] = await db
    .insert(pointsTransfers)
    .values({
      idempotencyKey: t.key,
      requestHash: hash,
      kind: t.kind,
      fromAccountId: t.fromAccountId,
      toAccountId: t.toAccountId,
      amount: t.amount,
      source: t.source ?? null,
      reason: t.reason,
      evidence: t.evidence ?? null,
      approvedBy: t.approvedBy ?? null,
      createdBy: ctx.actor?.userId ?? null,
      createdAt: ctx.clock.now(),
    })
    .returning({ id: pointsTransfers.id });
  // Both balances in one statement (one round trip fewer under a hot lock).
  await db
    .update(pointsAccounts)
    .set({
      balance: sql`${pointsAccounts.balance} + case when ${pointsAccounts.id} = ${t.toAccountId} then ${t.amount}::bigint else -${t.amount}::bigint end`,
    })
    .where(inArray(pointsAccounts.id, [t.fromAccountId, t.toAccountId]));
  return { id: (row as { id: number }).id, replayed: false };
}

async function accountId(db: Db, insert: ReturnType<typeof sql>, find: ReturnType<typeof sql>) {
  await db.execute(insert);
  const r = (await db.execute(find)) as unknown as { rows: { id: string | number }[] };
  const id = r.rows[0]?.id;
  if (id === undefined) throw new Error('points: account not created');
  return Number(id);
}

/** A member's account, opened on first use. */
export function memberAccount(ctx: Ctx, memberId: number): Promise<number> {
  return accountId(
    ctx.db,
    sql`insert into points_accounts (kind, member_id, created_at) values ('member', ${memberId}, ${ctx.clock.now()})
        on conflict (member_id) where member_id is not null do nothing`,
    sql`select id from points_accounts where member_id = ${memberId}`,
  );
}

/** A community's issuing account, opened on first use. */
export function issuerAccount(ctx: Ctx, communityCode: string): Promise<number> {
  return accountId(
    ctx.db,
    sql`insert into points_accounts (kind, community_code, created_at) values ('issuer', ${communityCode}, ${ctx.clock.now()})
        on conflict (community_code) where kind = 'issuer' do nothing`,
    sql`select id from points_accounts where kind = 'issuer' and community_code = ${communityCode}`,
  );
}
