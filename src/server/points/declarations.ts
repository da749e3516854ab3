/**
 * 自主申报: a member declares from the phone what they did (a source their county lets members
 * declare, a description, evidence in words, photos), asking for up to the county's most for one
 * entry; party staff of their place approve it (the points are posted from the community's
 * issuing account, once, whatever the number of clicks: the transfer's key is the declaration's
 * id and the row is locked while it is decided), possibly fewer than asked with a reason, or
 * reject it with a reason. The member sees the outcome on their list.
 */
import { and, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { DeclarationCreate, DeclarationDecide, DeclarationView } from '../../contracts/points-rules.ts';
import { MAX_ENTRY_POINTS, type PointSource } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { attachFiles, filesOf, readFile, storeImages } from '../core/files.ts';
import { maskName } from '../core/mask.ts';
import { underPattern } from '../geo/paths.ts';
import * as geo from '../geo/repo.ts';
import { compounds } from '../geo/tables.ts';
import { canEditMemberAt, memberScopes } from '../party/policy.ts';
import * as partyRepo from '../party/repo.ts';
import { partyMembers, partyOrgs } from '../party/tables.ts';
import { issuerAccount, memberAccount, transfer } from './ledger.ts';
import { checkWithinRule, ruleFor, rulesOf, sourceLabel } from './rules.ts';
import { pointsDeclarations, pointsTransfers } from './tables.ts';

type Authed = Ctx & { actor: Actor };

/** The files table's owner kind of declaration photos. */
export const DECLARATION_FILES = 'points_declaration';
/** A second identical declaration within this long is the first one sent twice. */
const DOUBLE_SUBMIT_MS = 10 * 60_000;

/** The actor's own party record, or refused: declaring is for members on a community's ledger. */
async function myRecord(ctx: Authed, o: { active: boolean }) {
  const own = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  if (!own || (o.active && own.status !== 'normal')) throw new AppError('points.members_only');
  const [m] = await ctx.db.select().from(partyMembers).where(eq(partyMembers.id, own.id));
  if (!m) throw new AppError('points.members_only');
  return m;
}

/** Photos are uploaded before the form is sent; only members may upload them. */
export async function assertMayDeclare(ctx: Authed) {
  await myRecord(ctx, { active: true });
}

export async function uploadPhotos(ctx: Authed, bufs: Buffer[]) {
  if (bufs.length === 0) throw new AppError('request.invalid', {}, [{ path: 'photos', message: 'photos' }]);
  const stored = await storeImages(ctx.db, bufs, {
    createdBy: ctx.actor.userId,
    scopePath: '',
    ownerKind: DECLARATION_FILES,
    now: ctx.clock.now(),
  });
  await audit(ctx, {
    action: 'file.upload',
    entity: 'file',
    entityId: stored[0]?.id,
    detail: { count: stored.length, for: DECLARATION_FILES },
  });
  return stored.map((f) => ({ id: f.id, width: f.width, height: f.height }));
}

/** A member declares what they did; a double tap gives the first declaration back. */
export async function declare(ctx: Authed, input: DeclarationCreate): Promise<DeclarationView> {
  const me = await myRecord(ctx, { active: true });
  // The member's row lock: two sends of one form queue here, and the second finds the first.
  await ctx.db
    .select({ id: partyMembers.id })
    .from(partyMembers)
    .where(eq(partyMembers.id, me.id))
    .for('update');
  const rule = await ruleFor(ctx.db, me.countyCode, input.source);
  if (!rule.declarable)
    throw new AppError('declaration.not_declarable', { source: sourceLabel(input.source, ctx.locale) });
  await checkWithinRule(ctx, me.countyCode, input.source, input.points);
  const now = ctx.clock.now();
  const evidence = input.evidence?.trim() || null;
  const [again] = await ctx.db
    .select({ id: pointsDeclarations.id })
    .from(pointsDeclarations)
    .where(
      and(
        eq(pointsDeclarations.memberId, me.id),
        eq(pointsDeclarations.status, 'pending'),
        eq(pointsDeclarations.source, input.source),
        eq(pointsDeclarations.description, input.description),
        eq(pointsDeclarations.points, input.points),
        sql`${pointsDeclarations.createdAt} > ${new Date(now.getTime() - DOUBLE_SUBMIT_MS).toISOString()}::timestamptz`,
      ),
    )
    .limit(1);
  if (again)
    return (await views(ctx, eq(pointsDeclarations.id, again.id), { own: true }))[0] as DeclarationView;
  const photoIds = [...new Set(input.photoIds)];
  const [d] = await ctx.db
    .insert(pointsDeclarations)
    .values({
      memberId: me.id,
      path: me.path,
      source: input.source,
      description: input.description,
      evidence,
      fileIds: photoIds,
      points: input.points,
      createdAt: now,
    })
    .returning({ id: pointsDeclarations.id });
  const id = d?.id as number;
  await attachFiles(ctx.db, photoIds, DECLARATION_FILES, id, ctx.actor.userId, { scopePath: me.path });
  await audit(ctx, {
    action: 'points.declaration.create',
    entity: 'points_declaration',
    entityId: id,
    scopePath: me.path,
    detail: { source: input.source, points: input.points, photos: photoIds.length },
  });
  return (await views(ctx, eq(pointsDeclarations.id, id), { own: true }))[0] as DeclarationView;
}

/** My declarations, newest first, and what I may declare. */
export async function myDeclarations(ctx: Authed) {
  const me = await myRecord(ctx, { active: false });
  const rules = await rulesOf(ctx.db, me.countyCode);
  return {
    declarable:
      me.status === 'normal'
        ? rules
            .filter((r) => r.declarable)
            .map((r) => ({
              source: r.source,
              points: r.points,
              unit: r.unit,
              maxPerEntry: Math.min(r.maxPerEntry, MAX_ENTRY_POINTS),
            }))
        : [],
    items: await views(ctx, eq(pointsDeclarations.memberId, me.id), { own: true, limit: 100 }),
  };
}

/** Declarations of members in the actor's area, by status (pending first of all), newest first. */
export async function listDeclarations(
  ctx: Authed,
  q: { status: DeclarationView['status']; region?: string; cursor?: string; limit: number },
) {
  const parts: SQL[] = [
    scopeWhere(pointsDeclarations.path, memberScopes(ctx.actor)),
    eq(pointsDeclarations.status, q.status),
  ];
  if (q.region) {
    const r = await geo.regionByCode(ctx.db, q.region);
    if (!r) throw new AppError('region.not_found');
    parts.push(sql`${pointsDeclarations.path} like ${underPattern(r.path)}`);
  }
  const after = decodeIdCursor(q.cursor);
  if (after !== null) parts.push(lt(pointsDeclarations.id, after));
  const items = await views(ctx, and(...parts) as SQL, { limit: q.limit + 1 });
  const page = items.slice(0, q.limit);
  return { items: page, nextCursor: items.length > q.limit ? encodeIdCursor(page.at(-1)?.id) : null };
}

/** The community a declaration's path lies in (paths run city.county.township.community.…). */
const communityOfPath = (path: string) => {
  const code = path.split('.').find((s) => /^\d{12}$/.test(s));
  if (!code) throw new Error(`points: no community in path ${path}`);
  return code;
};

/**
 * Approves (posting the points, possibly fewer than asked with a reason) or rejects with a reason.
 * The declaration's row is locked first: a second click waits, then finds it approved and gets the
 * same answer, and the transfer's key (the declaration's id) would post it once in any case.
 */
export async function decide(ctx: Authed, id: number, body: DeclarationDecide): Promise<DeclarationView> {
  const [d] = await ctx.db
    .select()
    .from(pointsDeclarations)
    .where(and(eq(pointsDeclarations.id, id), scopeWhere(pointsDeclarations.path, memberScopes(ctx.actor))))
    .for('update')
    .limit(1);
  if (!d) throw new AppError('declaration.not_found');
  if (!canEditMemberAt(ctx.actor, d.path)) throw new AppError('access.forbidden');
  const show = async () => (await views(ctx, eq(pointsDeclarations.id, id)))[0] as DeclarationView;
  if (d.status !== 'pending') {
    if (body.decision === 'approve' && d.status === 'approved') return show();
    throw new AppError('declaration.decided');
  }
  const now = ctx.clock.now();
  const reason = body.reason?.trim() || null;
  if (body.decision === 'reject') {
    await ctx.db
      .update(pointsDeclarations)
      .set({ status: 'rejected', reason, decidedBy: ctx.actor.userId, decidedAt: now })
      .where(eq(pointsDeclarations.id, id));
    await audit(ctx, {
      action: 'points.declaration.reject',
      entity: 'points_declaration',
      entityId: id,
      scopePath: d.path,
    });
    return show();
  }
  const points = body.points ?? d.points;
  if (points > d.points) throw new AppError('declaration.more_than_asked', { asked: d.points });
  if (points < d.points && !reason) throw new AppError('declaration.reason_required', { asked: d.points });
  // Posted where the member was when declaring, by that community, under its county's rule (which
  // may have lowered its most since the member asked).
  const community = communityOfPath(d.path);
  await checkWithinRule(ctx, community.slice(0, 6), d.source as PointSource, points);
  const posted = await transfer(ctx, {
    key: `declaration:${d.id}`,
    kind: 'award',
    fromAccountId: await issuerAccount(ctx, community),
    toAccountId: await memberAccount(ctx, d.memberId),
    amount: points,
    source: d.source as PointSource,
    reason: `自主申报：${d.description.length > 80 ? `${d.description.slice(0, 80)}…` : d.description}`,
    evidence: d.evidence,
    approvedBy: ctx.actor.userId,
  });
  await ctx.db
    .update(pointsDeclarations)
    .set({ status: 'approved', reason, decidedBy: ctx.actor.userId, decidedAt: now, transferId: posted.id })
    .where(eq(pointsDeclarations.id, id));
  await audit(ctx, {
    action: 'points.declaration.approve',
    entity: 'points_declaration',
    entityId: id,
    scopePath: d.path,
    detail: { transferId: posted.id, points, asked: d.points },
  });
  return show();
}

/** A declaration's photo, for its member and for party staff of their place. */
export async function declarationPhoto(ctx: Authed, id: number, fileId: number, variant: 'full' | 'thumb') {
  const own = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  const [d] = await ctx.db
    .select({ id: pointsDeclarations.id })
    .from(pointsDeclarations)
    .where(
      and(
        eq(pointsDeclarations.id, id),
        own
          ? sql`(${eq(pointsDeclarations.memberId, own.id)} or ${scopeWhere(pointsDeclarations.path, memberScopes(ctx.actor))})`
          : scopeWhere(pointsDeclarations.path, memberScopes(ctx.actor)),
      ),
    )
    .limit(1);
  if (!d) throw new AppError('file.not_found');
  const attached = await filesOf(ctx.db, DECLARATION_FILES, [id]);
  if (!attached.some((f) => f.id === fileId)) throw new AppError('file.not_found');
  const file = await readFile(ctx.db, fileId, variant);
  if (!file) throw new AppError('file.not_found');
  return file;
}

// Presenting ---------------------------------------------------------------------------------------

async function views(
  ctx: Authed,
  where: SQL | undefined,
  o: { own?: boolean; limit?: number } = {},
): Promise<DeclarationView[]> {
  const rows = await ctx.db
    .select({
      d: pointsDeclarations,
      name: partyMembers.name,
      countyCode: partyMembers.countyCode,
      compound: compounds.name,
      org: partyOrgs.name,
      decider: users.name,
      approved: pointsTransfers.amount,
    })
    .from(pointsDeclarations)
    .innerJoin(partyMembers, eq(partyMembers.id, pointsDeclarations.memberId))
    .innerJoin(compounds, eq(compounds.id, partyMembers.compoundId))
    .leftJoin(partyOrgs, eq(partyOrgs.id, partyMembers.orgId))
    .leftJoin(users, eq(users.id, pointsDeclarations.decidedBy))
    .leftJoin(pointsTransfers, eq(pointsTransfers.id, pointsDeclarations.transferId))
    .where(where)
    .orderBy(desc(pointsDeclarations.id))
    .limit(o.limit ?? 50);
  const photos = await filesOf(
    ctx.db,
    DECLARATION_FILES,
    rows.map((r) => r.d.id),
  );
  const caps = new Map<string, Map<PointSource, number>>();
  for (const county of new Set(rows.map((r) => r.countyCode)))
    caps.set(
      county,
      new Map(
        (await rulesOf(ctx.db, county)).map((r) => [r.source, Math.min(r.maxPerEntry, MAX_ENTRY_POINTS)]),
      ),
    );
  return rows.map(({ d, name, countyCode, compound, org, decider, approved }) => ({
    id: d.id,
    member: { id: d.memberId, name: o.own ? name : maskName(name), compound, org: org ?? null },
    source: d.source as PointSource,
    description: d.description,
    evidence: d.evidence ?? null,
    photos: photos
      .filter((f) => f.ownerId === d.id)
      .map((f) => ({ id: f.id, width: f.width, height: f.height })),
    points: d.points,
    approvedPoints: approved ?? null,
    status: d.status as DeclarationView['status'],
    reason: d.reason ?? null,
    decidedBy: decider ? maskName(decider) : null,
    decidedAt: d.decidedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    maxPerEntry: caps.get(countyCode)?.get(d.source as PointSource) ?? MAX_ENTRY_POINTS,
    can: { decide: !o.own && d.status === 'pending' && canEditMemberAt(ctx.actor, d.path) },
  }));
}
