/**
 * The points ledger: accounts and transfers. Points are money-like: a transfer moves a positive
 * amount between two accounts (two movements that sum to zero), both accounts are locked in id
 * order for it (so concurrent spends queue instead of overdrawing, and two transfers in opposite
 * directions cannot deadlock), the balances change in the same transaction, the database refuses
 * a negative balance, and the idempotency key makes a retried request post once. Callers run it
 * inside a retried transaction (core/context.ts inRetriedTransaction).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { PointSource, TransferKind } from '../../contracts/points-states.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/index.ts';
import { preparedStatement } from '../db/sql.ts';
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

const p = sql.placeholder;

/** Both accounts, locked in id order: concurrent spends queue, opposite transfers cannot deadlock. */
const LOCK = preparedStatement<{ id: string; kind: string; balance: string }>(
  'points_lock_accounts',
  sql`select id, kind, balance from ${pointsAccounts}
      where id in (${p('from')}::bigint, ${p('to')}::bigint) order by id for update`,
);
const POSTED = preparedStatement<{ id: string; request_hash: string }>(
  'points_posted',
  sql`select id, request_hash from ${pointsTransfers} where idempotency_key = ${p('key')}::text`,
);
/** The transfer and both balances in one statement. */
const POST = preparedStatement<{ id: string }>(
  'points_post',
  sql`
    with t as (
      insert into ${pointsTransfers} (idempotency_key, request_hash, kind, from_account_id, to_account_id,
        amount, source, reason, evidence, approved_by, created_by, created_at)
      values (${p('key')}::text, ${p('hash')}::text, ${p('kind')}::text, ${p('from')}::bigint, ${p('to')}::bigint,
        ${p('amount')}::bigint, ${p('source')}::text, ${p('reason')}::text, ${p('evidence')}::text,
        ${p('approvedBy')}::bigint, ${p('createdBy')}::bigint, ${p('at')}::timestamptz)
      returning id
    ),
    b as (
      update ${pointsAccounts}
      set balance = balance + case when id = ${p('to')}::bigint then ${p('amount')}::bigint else -${p('amount')}::bigint end
      where id in (${p('from')}::bigint, ${p('to')}::bigint)
    )
    select id from t
  `,
);

/** Moves `amount` from one account to another, once per key. */
export async function transfer(ctx: Ctx, t: TransferInput): Promise<Posted> {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new Error(`points: bad amount ${t.amount}`);
  if (t.fromAccountId === t.toAccountId) throw new Error('points: transfer to the same account');
  const db = ctx.db;
  // Locks first: a concurrent request with the same key waits here, then finds it posted below.
  const locked = await LOCK.run(db, { from: t.fromAccountId, to: t.toAccountId });
  if (locked.length !== 2) throw new Error('points: account missing');
  const hash = requestHash(t);
  const [done] = await POSTED.run(db, { key: t.key });
  if (done) {
    if (done.request_hash !== hash) throw new AppError('points.key_reused');
    return { id: Number(done.id), replayed: true };
  }
  const from = locked.find((a) => Number(a.id) === t.fromAccountId);
  if (from && from.kind !== 'issuer' && Number(from.balance) < t.amount)
    throw new AppError('points.insufficient', { balance: Number(from.balance), needed: t.amount });
  const [row] = await POST.run(db, {
    key: t.key,
    hash,
    kind: t.kind,
    from: t.fromAccountId,
    to: t.toAccountId,
    amount: t.amount,
    source: t.source ?? null,
    reason: t.reason,
    evidence: t.evidence ?? null,
    approvedBy: t.approvedBy ?? null,
    createdBy: ctx.actor?.userId ?? null,
    at: ctx.clock.now().toISOString(),
  });
  return { id: Number(row?.id), replayed: false };
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
