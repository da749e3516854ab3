/**
 * 志愿服务证明: community-level party staff (and above) issue a member a certificate of their
 * verified service over a period. What it certifies is frozen at issue (the masked name and ID
 * number, times, hours, the activities, the issuing community), under a unique number
 * GZ + year + 7 random digits + a Damm check digit, so a mistyped number is caught before any
 * lookup. Anyone can check a number (public, rate-limited, masked data only); the issuing level
 * can revoke one with a reason. The PDF embeds a Simplified Chinese font shipped by npm
 * (@embedpdf/fonts-sc, Noto Sans Hans), subset by pdfkit to the characters used.
 */

import { randomInt } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { and, asc, desc, eq, like, lt, type SQL, sql } from 'drizzle-orm';
import type {
  CertificateIssue,
  CertificatePreview,
  CertificateView,
  PublicCertificate,
} from '../../contracts/service-targets.ts';
import { CERTIFICATE_NUMBER } from '../../contracts/service-targets.ts';
import { users } from '../auth/tables.ts';
import { coversPath, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { maskName } from '../core/mask.ts';
import { limit } from '../core/rate-limit.ts';
import { underPattern } from '../geo/paths.ts';
import * as geo from '../geo/repo.ts';
import { regions } from '../geo/tables.ts';
import { memberScopes, ORG_ROLES } from '../party/policy.ts';
import * as partyRepo from '../party/repo.ts';
import { partyMembers } from '../party/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import type { CertRow } from './certificate-pdf.ts';
import { serviceCertificates, serviceRecords } from './tables.ts';
import { type Authed, hoursOf, todayOf } from './targets.ts';

const cert = serviceCertificates;

/** Community level and above issue and revoke certificates, over the member's (the certificate's) place. */
const canIssueAt = (ctx: Authed, p: string) => coversPath(ctx.actor, ORG_ROLES, p);

// Numbers ----------------------------------------------------------------------------------------

/** Damm's quasigroup: one check digit that catches every single-digit error and adjacent swap. */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
] as const;

export function dammDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) interim = DAMM[interim]?.[Number(ch)] as number;
  return interim;
}

/** A new number for a certificate issued in `year`: GZ + year + 7 random digits + check digit. */
export function newCertificateNumber(year: number): string {
  const body = `${year}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
  return `GZ${body}${dammDigit(body)}`;
}

/** Upper-cased and trimmed when it is well formed and its check digit holds; null otherwise. */
export function checkedNumber(raw: string): string | null {
  const n = raw.trim().toUpperCase().replace(/\s+/g, '');
  if (!CERTIFICATE_NUMBER.test(n)) return null;
  return dammDigit(n.slice(2)) === 0 ? n : null;
}

// Reading ----------------------------------------------------------------------------------------

function view(ctx: Authed, r: CertRow, issuedBy: string | null): CertificateView {
  return {
    id: r.id,
    number: r.number,
    member: { id: r.memberId, name: r.nameMasked },
    idNumber: r.idMasked,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    times: r.times,
    minutes: r.minutes,
    hours: hoursOf(r.minutes),
    content: r.content,
    issuer: r.issuer,
    issuedAt: r.issuedAt.toISOString(),
    issuedBy: issuedBy ? maskName(issuedBy) : null,
    status: r.revokedAt ? 'revoked' : 'valid',
    revokedAt: r.revokedAt?.toISOString() ?? null,
    revokeReason: r.revokeReason ?? null,
    can: { revoke: !r.revokedAt && canIssueAt(ctx, r.path) },
  };
}

async function rows(ctx: Authed, where: SQL, o: { after?: number | null; limit?: number } = {}) {
  return ctx.db
    .select({ c: cert, by: users.name })
    .from(cert)
    .leftJoin(users, eq(users.id, cert.issuedBy))
    .where(o.after ? and(where, lt(cert.id, o.after)) : where)
    .orderBy(desc(cert.id))
    .limit(o.limit ?? 200);
}

const visible = (ctx: Authed) => scopeWhere(cert.path, memberScopes(ctx.actor));

/** Certificates issued to members of the actor's area, newest first. */
export async function listCertificates(
  ctx: Authed,
  q: { region?: string; memberId?: number; number?: string; cursor?: string; limit: number },
) {
  const parts: SQL[] = [visible(ctx)];
  if (q.region) {
    const region = await geo.regionByCode(ctx.db, q.region);
    if (!region) throw new AppError('region.not_found');
    parts.push(like(cert.path, underPattern(region.path)));
  }
  if (q.memberId) parts.push(eq(cert.memberId, q.memberId));
  if (q.number) parts.push(eq(cert.number, q.number.trim().toUpperCase()));
  const found = await rows(ctx, and(...parts) as SQL, {
    after: q.cursor ? decodeIdCursor(q.cursor) : null,
    limit: q.limit + 1,
  });
  const page = found.slice(0, q.limit);
  return {
    items: page.map((x) => view(ctx, x.c, x.by)),
    nextCursor: found.length > q.limit ? encodeIdCursor(page.at(-1)?.c.id) : null,
  };
}

/** My own certificates (a member's), newest first; none for someone with no party record. */
export async function myCertificates(ctx: Authed): Promise<CertificateView[]> {
  const own = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  if (!own) return [];
  return (await rows(ctx, eq(cert.memberId, own.id))).map((x) => view(ctx, x.c, x.by));
}

/** One certificate for its PDF: staff of its place, or the member it was issued to. */
export async function certificateFor(ctx: Authed, id: number, as: 'staff' | 'own'): Promise<CertRow> {
  let where: SQL;
  if (as === 'own') {
    const own = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
    if (!own) throw new AppError('service_certificate.not_found');
    where = eq(cert.memberId, own.id);
  } else where = visible(ctx);
  const [r] = await ctx.db
    .select()
    .from(cert)
    .where(and(eq(cert.id, id), where))
    .limit(1);
  if (!r) throw new AppError('service_certificate.not_found');
  return r;
}

/** What anyone holding the number sees: masked name, figures, period, issuer, date, whether valid. */
export async function publicCertificate(ctx: Ctx, raw: string): Promise<PublicCertificate> {
  await limit(ctx.db, `cert-verify:ip:${ctx.ip ?? 'unknown'}`, 60, 30, ctx.clock.now());
  const number = checkedNumber(raw);
  if (!number) throw new AppError('service_certificate.bad_number');
  const [r] = await ctx.db.select().from(cert).where(eq(cert.number, number)).limit(1);
  if (!r) throw new AppError('service_certificate.not_found');
  return {
    number: r.number,
    name: r.nameMasked,
    times: r.times,
    hours: hoursOf(r.minutes),
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    issuer: r.issuer,
    issuedOn: shanghaiDate(r.issuedAt),
    status: r.revokedAt ? 'revoked' : 'valid',
    revokedOn: r.revokedAt ? shanghaiDate(r.revokedAt as Date) : null,
  };
}

// Issuing ----------------------------------------------------------------------------------------

/** The longest activity summary a certificate carries (the rest is counted, not listed). */
const CONTENT_MAX = 300;

function checkPeriod(ctx: Authed, from: string, to: string) {
  const today = todayOf(ctx.clock);
  const valid = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && d >= '2000-01-01';
  if (!valid(from) || !valid(to) || from > to || to > today)
    throw new AppError('service_certificate.period', { today });
}

/** The member (visible to the actor, on whose place they may issue) and what the period holds. */
async function gather(ctx: Authed, memberId: number, from: string, to: string, lock = false) {
  checkPeriod(ctx, from, to);
  const found = await partyRepo.memberById(
    ctx.db,
    memberId,
    scopeWhere(partyMembers.path, memberScopes(ctx.actor)),
  );
  if (!found) throw new AppError('member.not_found');
  const m = found.m;
  if (!canIssueAt(ctx, m.path)) throw new AppError('access.forbidden');
  if (lock)
    await ctx.db
      .select({ id: partyMembers.id })
      .from(partyMembers)
      .where(eq(partyMembers.id, m.id))
      .for('update');
  const acts = await ctx.db
    .select({
      activity: serviceRecords.activity,
      times: sql<number>`count(*)::int`,
      minutes: sql<number>`coalesce(sum(${serviceRecords.minutes}), 0)::int`,
      first: sql<string>`min(${serviceRecords.serviceDate})::text`,
    })
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.memberId, m.id),
        eq(serviceRecords.status, 'approved'),
        sql`${serviceRecords.serviceDate} between ${from}::date and ${to}::date`,
      ),
    )
    .groupBy(serviceRecords.activity)
    .orderBy(asc(sql`4`), asc(serviceRecords.activity));
  const times = acts.reduce((a, x) => a + x.times, 0);
  const minutes = acts.reduce((a, x) => a + x.minutes, 0);
  let content = '';
  let listed = 0;
  for (const a of acts) {
    const next = `${content ? `${content}；` : ''}${a.activity}（${a.times} 次，${hoursOf(a.minutes)} 小时）`;
    if (next.length > CONTENT_MAX) break;
    content = next;
    listed++;
  }
  if (listed < acts.length) content += `等 ${acts.length} 项服务`;
  const [community] = await ctx.db
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, m.communityCode))
    .limit(1);
  return { m, times, minutes, content, issuer: community?.name ?? m.communityCode };
}

export async function previewCertificate(
  ctx: Authed,
  q: { memberId: number; periodFrom: string; periodTo: string },
): Promise<CertificatePreview> {
  const g = await gather(ctx, q.memberId, q.periodFrom, q.periodTo);
  return {
    member: { id: g.m.id, name: maskName(g.m.name) },
    times: g.times,
    hours: hoursOf(g.minutes),
    content: g.content,
    issuer: g.issuer,
  };
}

export async function issueCertificate(ctx: Authed, input: CertificateIssue): Promise<CertificateView> {
  // The member's row is locked: two clicks on 开具 give one certificate, not two.
  const g = await gather(ctx, input.memberId, input.periodFrom, input.periodTo, true);
  if (g.times === 0) throw new AppError('service_certificate.nothing');
  const [same] = await ctx.db
    .select({ number: cert.number })
    .from(cert)
    .where(
      and(
        eq(cert.memberId, g.m.id),
        eq(cert.periodFrom, input.periodFrom),
        eq(cert.periodTo, input.periodTo),
        sql`${cert.revokedAt} is null`,
      ),
    )
    .limit(1);
  if (same) throw new AppError('service_certificate.exists', { number: same.number });
  const now = ctx.clock.now();
  const year = Number(todayOf(ctx.clock).slice(0, 4));
  let row: CertRow | undefined;
  // Ten million numbers a year: a clash is rare, and a clashing insert is skipped, never an error
  // (which would abort the transaction on PostgreSQL).
  for (let attempt = 0; attempt < 8 && !row; attempt++) {
    [row] = await ctx.db
      .insert(cert)
      .values({
        number: newCertificateNumber(year),
        memberId: g.m.id,
        nameMasked: maskName(g.m.name),
        idMasked: g.m.idMasked,
        periodFrom: input.periodFrom,
        periodTo: input.periodTo,
        times: g.times,
        minutes: g.minutes,
        content: g.content,
        issuer: g.issuer,
        path: g.m.path,
        issuedBy: ctx.actor.userId,
        issuedAt: now,
      })
      .onConflictDoNothing({ target: cert.number })
      .returning();
  }
  if (!row) throw new Error('no free certificate number after 8 attempts');
  await audit(ctx, {
    action: 'service.certificate.issue',
    entity: 'service_certificate',
    entityId: row.id,
    scopePath: row.path,
    detail: {
      number: row.number,
      memberId: row.memberId,
      period: [row.periodFrom, row.periodTo],
      times: row.times,
      minutes: row.minutes,
    },
  });
  return view(ctx, row, ctx.actor.name);
}

export async function revokeCertificate(ctx: Authed, id: number, reason: string): Promise<CertificateView> {
  const [r] = await ctx.db
    .select()
    .from(cert)
    .where(and(eq(cert.id, id), visible(ctx)))
    .for('update')
    .limit(1);
  if (!r) throw new AppError('service_certificate.not_found');
  if (!canIssueAt(ctx, r.path)) throw new AppError('access.forbidden');
  if (r.revokedAt) throw new AppError('service_certificate.revoked');
  const [done] = await ctx.db
    .update(cert)
    .set({ revokedAt: ctx.clock.now(), revokeReason: reason })
    .where(eq(cert.id, id))
    .returning();
  await audit(ctx, {
    action: 'service.certificate.revoke',
    entity: 'service_certificate',
    entityId: id,
    scopePath: r.path,
    detail: { number: r.number, reason },
  });
  const [by] = await ctx.db
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, r.issuedBy ?? 0))
    .limit(1);
  return view(ctx, done as CertRow, by?.name ?? null);
}

// The PDF ----------------------------------------------------------------------------------------

let worker: Worker | null = null;
let seq = 0;
const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();

/** One worker per instance, started on first use and not keeping the process alive. */
function pdfWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./certificate-pdf-worker.mjs', import.meta.url));
  w.unref();
  w.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
    const p = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.pdf) p?.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
    else p?.reject(new Error(m.error ?? 'certificate pdf failed'));
  });
  w.on('error', (e) => {
    for (const p of waiting.values()) p.reject(e);
    waiting.clear();
    worker = null;
  });
  worker = w;
  return w;
}

/** The certificate's PDF, drawn off the event loop so other requests do not wait for it. */
export function certificatePdf(r: CertRow, verifyUrl: string): Promise<Buffer> {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    pdfWorker().postMessage({ id, r, verifyUrl });
  });
}
