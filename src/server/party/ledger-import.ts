/**
 * Importing the member ledger from a spreadsheet: every row checked before anything is saved;
 * any problem rejects the whole file (nothing half-imported) with a report of row, column and
 * reason; a clean file is saved in the request's one transaction, new people added and known ones
 * (found by their ID number's blind index) updated, each change in the member's history.
 */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import { AppError } from '../core/errors.ts';
import { compounds } from '../geo/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { maskIdNumber } from './id-number.ts';
import { checkRow, type LedgerRow, type RowProblem, readLedger } from './ledger-xlsx.ts';
import { canEditMemberAt, memberScopes } from './policy.ts';
import * as repo from './repo.ts';
import { type Authed, cipher } from './service.ts';
import { partyImports, partyMemberEvents, partyMembers } from './tables.ts';

export const MAX_IMPORT_ROWS = 100_000;
/** Problems kept with an import (the report lists them; the count says how many in all). */
const MAX_PROBLEMS_KEPT = 5_000;
const CHUNK = 1_000;

export interface ImportResult {
  id: number;
  status: 'checked' | 'imported' | 'rejected';
  fileName: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  problemCount: number;
  /** The first problems, for the screen; the full list is in the report. */
  problems: RowProblem[];
  elapsedMs: number;
}

type Place = {
  id: number;
  code: string;
  name: string;
  path: string;
  communityCode: string;
  countyCode: string;
};

/** The compounds the actor may keep members in, by code and by (unique) name. */
async function placesInScope(ctx: Authed) {
  const rows: Place[] = await ctx.db
    .select({
      id: compounds.id,
      code: compounds.code,
      name: compounds.name,
      path: compounds.path,
      communityCode: compounds.communityCode,
      countyCode: compounds.countyCode,
    })
    .from(compounds)
    .where(scopeWhere(compounds.path, memberScopes(ctx.actor)));
  const byCode = new Map(rows.map((c) => [c.code, c]));
  const byName = new Map<string, Place[]>();
  for (const c of rows) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  return { byCode, byName };
}

/** Fields an import may set, compared with the record for the history. */
const FIELDS = [
  'name',
  'phone',
  'standing',
  'education',
  'joinedOn',
  'relationAt',
  'workUnit',
  'skills',
  'frail',
  'compoundId',
] as const;

export async function importLedger(
  ctx: Authed,
  file: { name: string; data: Buffer },
  opts: { dryRun: boolean },
): Promise<ImportResult> {
  const started = performance.now();
  const today = shanghaiDate(ctx.clock.now());
  const { rows, present, problems } = await readLedger(file.data, MAX_IMPORT_ROWS);
  const places = await placesInScope(ctx);
  const pii = cipher(ctx);

  const good: (LedgerRow & { place: Place; idIndex: Buffer })[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const checked = checkRow(r, present, today);
    if (!checked.ok) {
      problems.push(...checked.problems);
      continue;
    }
    const v = checked.value;
    const byCode = /^\d{15}$/.test(v.compound) ? places.byCode.get(v.compound) : undefined;
    const named = byCode ? [byCode] : (places.byName.get(v.compound) ?? []);
    if (named.length !== 1) {
      problems.push({
        row: v.row,
        column: '小区',
        reason:
          named.length > 1
            ? `辖区内有 ${named.length} 个“${v.compound}”，请填写小区编码`
            : `找不到小区“${v.compound}”，或它不在您的管辖范围内`,
      });
      continue;
    }
    const first = seen.get(v.idNumber);
    if (first !== undefined) {
      problems.push({ row: v.row, column: '身份证号', reason: `与第 ${first} 行的身份证号相同` });
      continue;
    }
    seen.set(v.idNumber, v.row);
    good.push({ ...v, place: named[0] as Place, idIndex: pii.index(v.idNumber) });
  }

  // Who is already on a ledger: in the actor's area they are updated; elsewhere it is a problem.
  const existing = new Map<string, repo.MemberRow>();
  for (let i = 0; i < good.length; i += CHUNK) {
    const part = good.slice(i, i + CHUNK);
    const found = await ctx.db
      .select()
      .from(partyMembers)
      .where(
        inArray(
          partyMembers.idIndex,
          part.map((g) => g.idIndex),
        ),
      );
    for (const m of found) existing.set(Buffer.from(m.idIndex).toString('hex'), m);
  }
  for (const g of good) {
    const m = existing.get(g.idIndex.toString('hex'));
    if (m && !canEditMemberAt(ctx.actor, m.path))
      problems.push({
        row: g.row,
        column: '身份证号',
        reason: '该身份证号已在其他社区登记，请由原所在社区办理组织关系转接',
      });
  }

  problems.sort((a, b) => a.row - b.row);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  const status: ImportResult['status'] =
    problems.length > 0 ? 'rejected' : opts.dryRun ? 'checked' : 'imported';
  if (status === 'imported') {
    ({ created, updated, unchanged } = await apply(ctx, file.name, good, existing, present));
  } else {
    for (const g of good) {
      const m = existing.get(g.idIndex.toString('hex'));
      if (!m) created++;
      else if (Object.keys(diff(m, g, present)).length) updated++;
      else unchanged++;
    }
  }
  const elapsedMs = Math.round(performance.now() - started);
  const [rec] = await ctx.db
    .insert(partyImports)
    .values({
      userId: ctx.actor.userId,
      at: ctx.clock.now(),
      fileName: file.name.slice(0, 200),
      status,
      rows: rows.length,
      created,
      updated,
      unchanged,
      problemCount: problems.length,
      problems: problems.slice(0, MAX_PROBLEMS_KEPT),
      elapsedMs,
    })
    .returning({ id: partyImports.id });
  await audit(ctx, {
    action: 'party.member.import',
    entity: 'party_import',
    entityId: rec?.id,
    scopePath: memberScopes(ctx.actor)[0] ?? null,
    detail: { file: file.name, status, rows: rows.length, created, updated, problems: problems.length },
  });
  return {
    id: rec?.id as number,
    status,
    fileName: file.name,
    rows: rows.length,
    created,
    updated,
    unchanged,
    problemCount: problems.length,
    problems: problems.slice(0, 200),
    elapsedMs,
  };
}

type Good = LedgerRow & { place: Place; idIndex: Buffer };

/** What the row would change on the record: field → from, to (only columns the sheet has). */
function diff(
  m: repo.MemberRow,
  g: Good,
  present: Set<string>,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const next: Record<string, unknown> = {
    name: g.name,
    compoundId: g.place.id,
    ...(present.has('phone') ? { phone: g.phone ?? null } : {}),
    ...(present.has('standing') ? { standing: g.standing ?? 'full' } : {}),
    ...(present.has('education') ? { education: g.education ?? null } : {}),
    ...(present.has('joinedOn') ? { joinedOn: g.joinedOn ?? null } : {}),
    ...(present.has('relationAt') ? { relationAt: g.relationAt ?? null } : {}),
    ...(present.has('workUnit') ? { workUnit: g.workUnit ?? null } : {}),
    ...(present.has('skills') ? { skills: g.skills ?? [] } : {}),
    ...(present.has('frail') ? { frail: g.frail ?? false } : {}),
  };
  const cur = m as unknown as Record<string, unknown>;
  for (const f of FIELDS) {
    if (!(f in next)) continue;
    const a = cur[f] ?? null;
    const b = next[f] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f] = { from: a, to: b };
  }
  if (m.ledger !== g.ledger) out.ledger = { from: m.ledger, to: g.ledger };
  const mob = g.mobile ?? null;
  const curMob = m.mobileDirection
    ? {
        direction: m.mobileDirection,
        place: m.mobilePlace,
        contact: m.mobileContact,
        certificate: m.mobileCertificate,
        since: m.mobileSince,
      }
    : null;
  if (JSON.stringify(curMob) !== JSON.stringify(mob)) out.mobile = { from: curMob, to: mob };
  return out;
}

const mobileCols = (g: Good) => ({
  mobileDirection: g.mobile?.direction ?? null,
  mobilePlace: g.mobile?.place ?? null,
  mobileContact: g.mobile?.contact ?? null,
  mobileCertificate: g.mobile?.certificate ?? null,
  mobileSince: g.mobile?.since ?? null,
});

async function apply(
  ctx: Authed,
  fileName: string,
  good: Good[],
  existing: Map<string, repo.MemberRow>,
  present: Set<string>,
) {
  const pii = cipher(ctx);
  const now = ctx.clock.now();
  const reason = `表格导入：${fileName}`.slice(0, 500);
  // New members whose relation is kept here join the branch covering their compound.
  const compoundIds = [...new Set(good.map((g) => g.place.id))];
  const branchOf = new Map<number, number>();
  for (let i = 0; i < compoundIds.length; i += CHUNK)
    for (const b of await repo.coveringBranches(ctx.db, compoundIds.slice(i, i + CHUNK), null))
      branchOf.set(b.compoundId, b.orgId);

  let created = 0;
  let updated = 0;
  let unchanged = 0;
  const fresh = good.filter((g) => !existing.has(g.idIndex.toString('hex')));
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const part = fresh.slice(i, i + CHUNK);
    const ids = await ctx.db
      .insert(partyMembers)
      .values(
        part.map((g) => ({
          name: g.name,
          sex: g.sex,
          birthDate: g.birthDate,
          idSealed: pii.seal(g.idNumber),
          idIndex: g.idIndex,
          idMasked: maskIdNumber(g.idNumber),
          phone: g.phone ?? null,
          education: g.education ?? null,
          joinedOn: g.joinedOn ?? null,
          standing: g.standing ?? 'full',
          relationAt: g.relationAt ?? null,
          orgId: g.ledger === 'inService' ? null : (branchOf.get(g.place.id) ?? null),
          compoundId: g.place.id,
          communityCode: g.place.communityCode,
          countyCode: g.place.countyCode,
          path: g.place.path,
          ledger: g.ledger,
          workUnit: g.workUnit ?? null,
          skills: g.skills ?? [],
          frail: g.frail ?? false,
          ...mobileCols(g),
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: partyMembers.id });
    await ctx.db.insert(partyMemberEvents).values(
      ids.map((x) => ({
        memberId: x.id,
        at: now,
        actorUserId: ctx.actor.userId,
        kind: 'imported',
        reason,
      })),
    );
    created += ids.length;
  }

  // Known members: the changed ones, one UPDATE per chunk from a VALUES list.
  const changes: { m: repo.MemberRow; g: Good; changes: Record<string, { from: unknown; to: unknown }> }[] =
    [];
  for (const g of good) {
    const m = existing.get(g.idIndex.toString('hex'));
    if (!m) continue;
    const d = diff(m, g, present);
    if (Object.keys(d).length === 0) unchanged++;
    else changes.push({ m, g, changes: d });
  }
  for (let i = 0; i < changes.length; i += CHUNK) {
    const part = changes.slice(i, i + CHUNK);
    const values = part.map(({ m, g }) => {
      const moved = m.compoundId !== g.place.id;
      const org = g.ledger === 'inService' ? null : moved ? (branchOf.get(g.place.id) ?? null) : m.orgId;
      const mob = mobileCols(g);
      const pick = <T>(key: string, v: T, cur: T) => (present.has(key) ? v : cur);
      return sql`(${m.id}::bigint, ${g.name}, ${pick('phone', g.phone ?? null, m.phone)}, ${pick('standing', g.standing ?? 'full', m.standing)},
        ${pick('education', g.education ?? null, m.education)}, ${pick('joinedOn', g.joinedOn ?? null, m.joinedOn)}::date,
        ${pick('relationAt', g.relationAt ?? null, m.relationAt)}, ${pick('workUnit', g.workUnit ?? null, m.workUnit)},
        ${sql.param(pick('skills', g.skills ?? [], m.skills))}::text[], ${pick('frail', g.frail ?? false, m.frail)}::boolean,
        ${g.place.id}::bigint, ${g.place.communityCode}, ${g.place.countyCode}, ${g.place.path}, ${g.ledger}, ${org}::bigint,
        ${mob.mobileDirection}, ${mob.mobilePlace}, ${mob.mobileContact}, ${mob.mobileCertificate}, ${mob.mobileSince}::date)`;
    });
    await ctx.db.execute(sql`
      update party_members p set name = v.name, phone = v.phone, standing = v.standing, education = v.education,
        joined_on = v.joined_on, relation_at = v.relation_at, work_unit = v.work_unit, skills = v.skills,
        frail = v.frail, compound_id = v.compound_id, community_code = v.community_code,
        county_code = v.county_code, path = v.path, ledger = v.ledger, org_id = v.org_id,
        building_id = case when p.compound_id = v.compound_id then p.building_id end,
        household_id = case when p.compound_id = v.compound_id then p.household_id end,
        mobile_direction = v.mobile_direction, mobile_place = v.mobile_place,
        mobile_contact = v.mobile_contact, mobile_certificate = v.mobile_certificate,
        mobile_since = v.mobile_since, version = p.version + 1, updated_at = ${now}
      from (values ${sql.join(values, sql`, `)}) as v(id, name, phone, standing, education, joined_on,
        relation_at, work_unit, skills, frail, compound_id, community_code, county_code, path, ledger,
        org_id, mobile_direction, mobile_place, mobile_contact, mobile_certificate, mobile_since)
      where p.id = v.id`);
    await ctx.db.insert(partyMemberEvents).values(
      part.map(({ m, changes: c }) => ({
        memberId: m.id,
        at: now,
        actorUserId: ctx.actor.userId,
        kind: 'ledger' in c ? 'ledgerMoved' : 'imported',
        changes: c,
        reason,
      })),
    );
    updated += part.length;
  }
  return { created, updated, unchanged };
}

/** An import's record and problems, for the person who ran it. */
export async function importReport(ctx: Authed, id: number) {
  const [rec] = await ctx.db.select().from(partyImports).where(eq(partyImports.id, id)).limit(1);
  if (!rec || rec.userId !== ctx.actor.userId) throw new AppError('import.not_found');
  return rec;
}

export async function myImports(ctx: Authed, limit = 20) {
  return ctx.db
    .select({
      id: partyImports.id,
      at: partyImports.at,
      fileName: partyImports.fileName,
      status: partyImports.status,
      rows: partyImports.rows,
      created: partyImports.created,
      updated: partyImports.updated,
      unchanged: partyImports.unchanged,
      problemCount: partyImports.problemCount,
      elapsedMs: partyImports.elapsedMs,
    })
    .from(partyImports)
    .where(eq(partyImports.userId, ctx.actor.userId))
    .orderBy(desc(partyImports.id))
    .limit(limit);
}
