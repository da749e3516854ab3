/**
 * 积分: staff credit members with points for what they did (or deduct them), each entry with its
 * source, reason, evidence and approver; members see their balance and statement. Redemption at
 * merchants and the quarterly posting build on the same ledger (ledger.ts).
 */
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AccountView, PointsEntryCreate, TransferView } from '../../contracts/points.ts';
import type { PointSource, TransferKind } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { maskName } from '../core/mask.ts';
import { regions } from '../geo/tables.ts';
import { canEditMemberAt, memberScopes } from '../party/policy.ts';
import * as partyRepo from '../party/repo.ts';
import { partyMembers } from '../party/tables.ts';
import { issuerAccount, memberAccount, transfer } from './ledger.ts';
import { checkWithinRule } from './rules.ts';
import { pointsAccounts, pointsTransfers } from './tables.ts';

type Authed = Ctx & { actor: Actor };

/** A client's key, kept apart from every other user's. */
const keyOf = (ctx: Authed, key: string) => `u${ctx.actor.userId}:${key}`;

/** Posts an entry for a member: an award from the community's issuing account, or a deduction back to it. */
export async function postEntry(ctx: Authed, input: PointsEntryCreate, key: string) {
  const m = await partyRepo.memberById(
    ctx.db,
    input.memberId,
    scopeWhere(partyMembers.path, memberScopes(ctx.actor)),
  );
  if (!m) throw new AppError('member.not_found');
  if (!canEditMemberAt(ctx.actor, m.m.path)) throw new AppError('access.forbidden');
  if (m.m.status !== 'normal') throw new AppError('pairing.member_inactive');
  // No more than the county allows for one entry of the source (rules.ts).
  await checkWithinRule(ctx, m.m.countyCode, input.source, input.points);
  const issuer = await issuerAccount(ctx, m.m.communityCode);
  const mine = await memberAccount(ctx, m.m.id);
  const deduct = input.source === 'deduction';
  const posted = await transfer(ctx, {
    key: keyOf(ctx, key),
    kind: deduct ? 'deduct' : 'award',
    fromAccountId: deduct ? mine : issuer,
    toAccountId: deduct ? issuer : mine,
    amount: input.points,
    source: input.source,
    reason: input.reason,
    evidence: input.evidence || null,
    approvedBy: ctx.actor.userId,
  });
  if (!posted.replayed)
    await audit(ctx, {
      action: deduct ? 'points.deduct' : 'points.award',
      entity: 'party_member',
      entityId: m.m.id,
      scopePath: m.m.path,
      detail: { transferId: posted.id, points: input.points, source: input.source },
    });
  return { transferId: posted.id, replayed: posted.replayed, account: await accountOf(ctx, m.m.id) };
}

async function accountOf(ctx: Ctx, memberId: number): Promise<AccountView> {
  const [a] = await ctx.db
    .select({ id: pointsAccounts.id, balance: pointsAccounts.balance })
    .from(pointsAccounts)
    .where(eq(pointsAccounts.memberId, memberId));
  if (!a) return { memberId, balance: 0, earned: 0, spent: 0 };
  const [t] = await ctx.db
    .select({
      earned: sql<string>`coalesce(sum(amount) filter (where to_account_id = ${a.id}), 0)`,
      spent: sql<string>`coalesce(sum(amount) filter (where from_account_id = ${a.id}), 0)`,
    })
    .from(pointsTransfers)
    .where(or(eq(pointsTransfers.fromAccountId, a.id), eq(pointsTransfers.toAccountId, a.id)));
  return { memberId, balance: a.balance, earned: Number(t?.earned ?? 0), spent: Number(t?.spent ?? 0) };
}

const other = alias(pointsAccounts, 'other');
const otherMember = alias(partyMembers, 'other_member');

/** An account's transfers, newest first, signed from its side. */
async function statement(ctx: Ctx, memberId: number, cursor?: string, limit = 50) {
  const [a] = await ctx.db
    .select({ id: pointsAccounts.id })
    .from(pointsAccounts)
    .where(eq(pointsAccounts.memberId, memberId));
  if (!a) return { items: [] as TransferView[], nextCursor: null };
  const after = cursor ? decodeIdCursor(cursor) : null;
  const mine = or(eq(pointsTransfers.fromAccountId, a.id), eq(pointsTransfers.toAccountId, a.id)) as SQL;
  const rows = await ctx.db
    .select({
      t: pointsTransfers,
      otherKind: other.kind,
      community: regions.name,
      otherName: otherMember.name,
      approver: users.name,
    })
    .from(pointsTransfers)
    .innerJoin(
      other,
      sql`${other.id} = case when ${pointsTransfers.fromAccountId} = ${a.id} then ${pointsTransfers.toAccountId} else ${pointsTransfers.fromAccountId} end`,
    )
    .leftJoin(regions, eq(regions.code, other.communityCode))
    .leftJoin(otherMember, eq(otherMember.id, other.memberId))
    .leftJoin(users, eq(users.id, pointsTransfers.approvedBy))
    .where(after === null ? mine : and(mine, lt(pointsTransfers.id, after)))
    .orderBy(desc(pointsTransfers.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map(
      ({ t, otherKind, community, otherName, approver }): TransferView => ({
        id: t.id,
        kind: t.kind as TransferKind,
        points: t.toAccountId === a.id ? t.amount : -t.amount,
        source: (t.source as PointSource | null) ?? null,
        reason: t.reason,
        evidence: t.evidence ?? null,
        counterpart:
          otherKind === 'issuer'
            ? `${community ?? ''}`
            : otherKind === 'member'
              ? maskName(otherName ?? '')
              : otherKind,
        approvedBy: approver ? maskName(approver) : null,
        at: t.createdAt.toISOString(),
      }),
    ),
    nextCursor: rows.length > limit ? encodeIdCursor(page.at(-1)?.t.id) : null,
  };
}

/** A member's points, for party staff of their place. */
export async function memberPoints(ctx: Authed, memberId: number, page: { cursor?: string; limit?: number }) {
  const m = await partyRepo.memberById(
    ctx.db,
    memberId,
    scopeWhere(partyMembers.path, memberScopes(ctx.actor)),
  );
  if (!m) throw new AppError('member.not_found');
  return {
    account: await accountOf(ctx, memberId),
    statement: await statement(ctx, memberId, page.cursor, page.limit),
  };
}

/** My own points (a member's), or nothing for someone with no party record. */
export async function myPoints(ctx: Authed, page: { cursor?: string; limit?: number }) {
  const m = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  if (!m) return { account: null, statement: { items: [], nextCursor: null } };
  return {
    account: await accountOf(ctx, m.id),
    statement: await statement(ctx, m.id, page.cursor, page.limit),
  };
}
