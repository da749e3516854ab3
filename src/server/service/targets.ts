/**
 * 年度服务目标: per year, county and group, how often (times) and how long (hours) members should
 * serve; a county without its own target for in-service cadres (at section level and below) uses
 * DEFAULT_TARGET. Each member's progress is one SQL definition (progressSql) that every reader
 * uses: the member's own card, the staff lists of those behind, the unit report for employers,
 * the counts per community, and the reminder sweep.
 *
 * Who counts: members in normal standing. A service record counts when approved, with its
 * verified minutes, in the calendar year of its service date (a local date, Asia/Shanghai).
 * Which target applies: the most specific group with one. In-service cadres are members on the
 * in-service ledger whose latest confirmed registration does not say they hold a leading post
 * (or who have none); they always have a target (their county's, else the default). Other
 * in-service members take the county's in-service target, else its target for everyone; the rest
 * the target for everyone; a member with none has no target and is in no list.
 */
import { PassThrough } from 'node:stream';
import { and, desc, eq, inArray, isNull, like, type SQL, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Role } from '../../contracts/roles.ts';
import { DEFAULT_TARGET, TARGET_GROUPS, type TargetGroup } from '../../contracts/service-states.ts';
import type {
  CountyTargets,
  MyProgress,
  Progress,
  ProgressListQuery,
  ProgressRow,
  ProgressStatus,
  ProgressSummary,
  TargetPut,
  UnitProgress,
} from '../../contracts/service-targets.ts';
import { users } from '../auth/tables.ts';
import { type Actor, coversPath, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Clock } from '../core/clock.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { maskName } from '../core/mask.ts';
import type { Db } from '../db/index.ts';
import { underPattern } from '../geo/paths.ts';
import * as geo from '../geo/repo.ts';
import { compounds, regions } from '../geo/tables.ts';
import { memberScopes } from '../party/policy.ts';
import { listUnits } from '../party/registration.ts';
import * as partyRepo from '../party/repo.ts';
import { partyMembers, partyRegistrations, partyUnitAdmins, partyUnits } from '../party/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { serviceRecords, serviceReminders, serviceTargets } from './tables.ts';

export type Authed = Ctx & { actor: Actor };

/** Annual targets are set by the county (and the city over it). */
export const TARGET_ROLES: readonly Role[] = ['countyAdmin', 'cityAdmin'];

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

// Days and years ---------------------------------------------------------------------------------

export const todayOf = (clock: Clock) => shanghaiDate(clock.now());
const yearOf = (day: string) => Number(day.slice(0, 4));
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);

/**
 * The part of `year` gone by the end of `day`: 0 before it starts, 1 once it is over; in between
 * the days so far (including `day`) over the days of the year.
 */
export function yearShare(year: number, day: string): number {
  const y = yearOf(day);
  if (year < y) return 1;
  if (year > y) return 0;
  const start = dayMs(`${year}-01-01`);
  const days = (dayMs(`${year + 1}-01-01`) - start) / 86_400_000;
  return ((dayMs(day) - start) / 86_400_000 + 1) / days;
}

/** Minutes as hours with one decimal. */
export const hoursOf = (minutes: number) => Math.round(minutes / 6) / 10;
/** Minutes still missing as hours, rounded up to the tenth (never shows 0 when something is missing). */
const hoursUp = (minutes: number) => Math.ceil(minutes / 6) / 10;

// The one definition of progress -----------------------------------------------------------------

export interface ProgressOptions {
  year: number;
  /** The day "on track" is measured on (YYYY-MM-DD, Shanghai). */
  day: string;
  /** Which members (a predicate over party_members, e.g. scopeWhere(partyMembers.path, …)). */
  where: SQL;
  /** Leave out members with no target (lists, counts, reminders); the member's own card keeps them. */
  onlyTargeted?: boolean;
}

/**
 * Each member's times and verified minutes in the year against their group's target, as a SELECT
 * with the columns of ProgressSqlRow. Wrap it: `select … from (${progressSql(o)}) p where …`.
 */
export function progressSql(o: ProgressOptions): SQL {
  const from = `${o.year}-01-01`;
  const to = `${o.year}-12-31`;
  const share = yearShare(o.year, o.day);
  return sql`
    with base as (
      select ${partyMembers.id} as member_id, ${partyMembers.name} as name, ${partyMembers.path} as path,
        ${partyMembers.communityCode} as community_code, ${partyMembers.countyCode} as county_code,
        ${partyMembers.compoundId} as compound_id, ${partyMembers.workUnit} as work_unit,
        ${partyMembers.ledger} as ledger,
        (${partyMembers.ledger} = 'inService' and not coalesce(reg.leader, false)) as cadre
      from ${partyMembers}
      left join (
        select distinct on (member_id) member_id, leader from ${partyRegistrations}
        where status = 'confirmed' and member_id is not null
        order by member_id, decided_at desc nulls last, id desc
      ) reg on reg.member_id = ${partyMembers.id}
      where ${partyMembers.status} = 'normal' and ${o.where}
    ), targeted as (
      select b.*, t.id as target_id,
        coalesce(t."group", case when b.cadre then 'inServiceCadre' end) as grp,
        coalesce(t.min_times, case when b.cadre then ${DEFAULT_TARGET.minTimes}::int end) as min_times,
        coalesce(t.min_hours, case when b.cadre then ${DEFAULT_TARGET.minHours}::int end) as min_hours,
        coalesce(s.times, 0) as times, coalesce(s.minutes, 0) as minutes
      from base b
      left join lateral (
        select st.id, st."group", st.min_times, st.min_hours from ${serviceTargets} st
        where st.year = ${o.year} and st.county_code = b.county_code
          and st."group" = any(case
            when b.cadre then array['inServiceCadre']
            when b.ledger = 'inService' then array['inService', 'all']
            else array['all'] end)
        order by array_position(array['inServiceCadre', 'inService', 'all'], st."group"::text)
        limit 1
      ) t on true
      left join lateral (
        select count(*)::int as times, coalesce(sum(r.minutes), 0)::int as minutes
        from ${serviceRecords} r
        where r.member_id = b.member_id and r.status = 'approved'
          and r.service_date between ${from}::date and ${to}::date
      ) s on true
      ${o.onlyTargeted ? sql`where t.id is not null or b.cadre` : sql``}
    )
    select x.*,
      floor(x.min_times * ${share}::float8)::int as expected_times,
      floor(x.min_hours * 60 * ${share}::float8)::int as expected_minutes,
      case
        when x.grp is null then null
        when x.times >= x.min_times and x.minutes >= x.min_hours * 60 then 'met'
        when x.times >= floor(x.min_times * ${share}::float8)
          and x.minutes >= floor(x.min_hours * 60 * ${share}::float8) then 'onTrack'
        else 'behind' end as status
    from targeted x`;
}

export interface ProgressSqlRow {
  member_id: number | string;
  name: string;
  path: string;
  community_code: string;
  county_code: string;
  compound_id: number | string;
  work_unit: string | null;
  ledger: string;
  cadre: boolean;
  target_id: number | string | null;
  grp: TargetGroup | null;
  min_times: number | null;
  min_hours: number | null;
  times: number;
  minutes: number;
  expected_times: number | null;
  expected_minutes: number | null;
  status: ProgressStatus | null;
}

export function progressOf(year: number, r: ProgressSqlRow): Progress {
  const has = r.grp !== null && r.min_times !== null && r.min_hours !== null;
  const minTimes = Number(r.min_times);
  const minHours = Number(r.min_hours);
  return {
    year,
    group: r.grp,
    times: Number(r.times),
    minutes: Number(r.minutes),
    hours: hoursOf(Number(r.minutes)),
    target: has ? { minTimes, minHours, source: r.target_id === null ? 'default' : 'county' } : null,
    expected: has ? { times: Number(r.expected_times), hours: hoursOf(Number(r.expected_minutes)) } : null,
    missing: has
      ? {
          times: Math.max(0, minTimes - Number(r.times)),
          hours: hoursUp(Math.max(0, minHours * 60 - Number(r.minutes))),
        }
      : null,
    status: r.status,
  };
}

/** Counts by status per community, for a predicate over members (the data screen reads this too). */
export async function progressCounts(db: Db, o: Omit<ProgressOptions, 'onlyTargeted'>) {
  const rows = rowsOf<{ community_code: string; name: string | null; status: ProgressStatus; n: number }>(
    await db.execute(sql`
      select p.community_code, r.name, p.status, count(*)::int as n
      from (${progressSql({ ...o, onlyTargeted: true })}) p
      left join ${regions} r on r.code = p.community_code
      group by p.community_code, r.name, p.status`),
  );
  const by = new Map<string, ProgressSummary['communities'][number]>();
  for (const r of rows) {
    const c = by.get(r.community_code) ?? {
      code: r.community_code,
      name: r.name ?? r.community_code,
      members: 0,
      met: 0,
      onTrack: 0,
      behind: 0,
    };
    c.members += r.n;
    c[r.status] += r.n;
    by.set(r.community_code, c);
  }
  const communities = [...by.values()].sort(
    (a, b) => b.behind / b.members - a.behind / a.members || a.code.localeCompare(b.code),
  );
  const totals = { members: 0, met: 0, onTrack: 0, behind: 0 };
  for (const c of communities)
    for (const k of ['members', 'met', 'onTrack', 'behind'] as const) totals[k] += c[k];
  return { totals, communities };
}

// Targets ---------------------------------------------------------------------------------------

/** The county at the head of a path ("140200.140213.…" → "140200.140213."), or null above counties. */
function countyPrefix(path: string): string | null {
  const parts = path.split('.').filter(Boolean);
  return parts.length >= 2 ? `${parts[0]}.${parts[1]}.` : null;
}

/** Counties the actor does party work in or over (a community's worker reads its county's targets). */
async function visibleCounties(ctx: Authed, code?: string) {
  const scopes = memberScopes(ctx.actor);
  const heads = [...new Set(scopes.map(countyPrefix).filter((p): p is string => p !== null))];
  const parts: SQL[] = [scopeWhere(regions.path, scopes)];
  if (heads.length) parts.push(inArray(regions.path, heads));
  const where = and(
    eq(regions.level, 'county'),
    sql`(${sql.join(parts, sql` or `)})`,
    code ? eq(regions.code, code) : undefined,
  );
  return ctx.db
    .select({ code: regions.code, name: regions.name, path: regions.path })
    .from(regions)
    .where(where)
    .orderBy(regions.sort, regions.code);
}

async function visibleCounty(ctx: Authed, code: string) {
  const [c] = await visibleCounties(ctx, code);
  if (!c) throw new AppError('region.not_found');
  return c;
}

export async function listTargets(
  ctx: Authed,
  q: { year?: number; county?: string },
): Promise<CountyTargets[]> {
  const year = q.year ?? yearOf(todayOf(ctx.clock));
  const counties = q.county ? [await visibleCounty(ctx, q.county)] : await visibleCounties(ctx);
  if (counties.length === 0) return [];
  const codes = counties.map((c) => c.code);
  const rows = await ctx.db
    .select({
      t: serviceTargets,
      by: users.name,
      sent: sql<number>`(select count(*)::int from ${serviceReminders} sr where sr.target_id = ${serviceTargets.id})`,
    })
    .from(serviceTargets)
    .leftJoin(users, eq(users.id, serviceTargets.updatedBy))
    .where(and(eq(serviceTargets.year, year), inArray(serviceTargets.countyCode, codes)));
  return counties.map((c) => ({
    year,
    county: { code: c.code, name: c.name },
    can: { edit: coversPath(ctx.actor, TARGET_ROLES, c.path) },
    groups: TARGET_GROUPS.map((group) => {
      const r = rows.find((x) => x.t.countyCode === c.code && x.t.group === group);
      const fallback = group === 'inServiceCadre' ? DEFAULT_TARGET : null;
      return {
        group,
        target: r
          ? {
              minTimes: r.t.minTimes,
              minHours: r.t.minHours,
              remindOn: [...r.t.remindOn].sort(),
              updatedAt: r.t.updatedAt.toISOString(),
              updatedBy: r.by ? maskName(r.by) : null,
            }
          : null,
        effective: r
          ? { minTimes: r.t.minTimes, minHours: r.t.minHours, source: 'county' as const }
          : fallback
            ? { ...fallback, source: 'default' as const }
            : null,
        remindersSent: r?.sent ?? 0,
      };
    }),
  }));
}

async function editableCounty(ctx: Authed, code: string) {
  const c = await visibleCounty(ctx, code);
  if (!coversPath(ctx.actor, TARGET_ROLES, c.path)) throw new AppError('access.forbidden');
  return c;
}

export async function putTarget(
  ctx: Authed,
  p: { county: string; year: number; group: TargetGroup },
  input: TargetPut,
): Promise<CountyTargets> {
  const c = await editableCounty(ctx, p.county);
  const remindOn = [...new Set(input.remindOn)].sort();
  const outside = remindOn.findIndex((d) => yearOf(d) !== p.year || Number.isNaN(dayMs(d)));
  if (outside >= 0)
    throw new AppError('request.invalid', {}, [
      {
        path: `remindOn.${outside}`,
        message:
          ctx.locale === 'en'
            ? `Reminder dates must fall in ${p.year}`
            : `提醒日期应在 ${p.year} 年内（${remindOn[outside]} 不在）`,
      },
    ]);
  const now = ctx.clock.now();
  const [before] = await ctx.db
    .select()
    .from(serviceTargets)
    .where(
      and(
        eq(serviceTargets.year, p.year),
        eq(serviceTargets.countyCode, c.code),
        eq(serviceTargets.group, p.group),
      ),
    )
    .for('update');
  const values = { minTimes: input.minTimes, minHours: input.minHours, remindOn };
  const [row] = await ctx.db
    .insert(serviceTargets)
    .values({
      year: p.year,
      countyCode: c.code,
      group: p.group,
      ...values,
      updatedBy: ctx.actor.userId,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [serviceTargets.year, serviceTargets.countyCode, serviceTargets.group],
      set: { ...values, updatedBy: ctx.actor.userId, updatedAt: now },
    })
    .returning({ id: serviceTargets.id });
  await audit(ctx, {
    action: 'service.target.set',
    entity: 'service_target',
    entityId: row?.id,
    scopePath: c.path,
    detail: {
      year: p.year,
      group: p.group,
      from: before
        ? { minTimes: before.minTimes, minHours: before.minHours, remindOn: before.remindOn }
        : null,
      to: values,
    },
  });
  return (await listTargets(ctx, { year: p.year, county: c.code }))[0] as CountyTargets;
}

/**
 * Removes a county's target for a group (in-service cadres then fall back to the default); removing
 * one that is not there changes nothing. Once members were reminded under it, it stays (the
 * reminders point at it): change its figures instead.
 */
export async function deleteTarget(
  ctx: Authed,
  p: { county: string; year: number; group: TargetGroup },
): Promise<CountyTargets> {
  const c = await editableCounty(ctx, p.county);
  const [row] = await ctx.db
    .select()
    .from(serviceTargets)
    .where(
      and(
        eq(serviceTargets.year, p.year),
        eq(serviceTargets.countyCode, c.code),
        eq(serviceTargets.group, p.group),
      ),
    )
    .for('update');
  // Already gone (a second click, another administrator): what is there now.
  if (!row) return (await listTargets(ctx, { year: p.year, county: c.code }))[0] as CountyTargets;
  const [sent] = await ctx.db
    .select({ id: serviceReminders.id })
    .from(serviceReminders)
    .where(eq(serviceReminders.targetId, row.id))
    .limit(1);
  if (sent) throw new AppError('service_target.has_reminders');
  await ctx.db.delete(serviceTargets).where(eq(serviceTargets.id, row.id));
  await audit(ctx, {
    action: 'service.target.delete',
    entity: 'service_target',
    entityId: row.id,
    scopePath: c.path,
    detail: { year: p.year, group: p.group, minTimes: row.minTimes, minHours: row.minHours },
  });
  return (await listTargets(ctx, { year: p.year, county: c.code }))[0] as CountyTargets;
}

// Staff lists ------------------------------------------------------------------------------------

/** The members a staff list covers: the actor's party-work area, narrowed to a region or compound. */
async function staffWhere(ctx: Authed, q: { region?: string; compoundId?: number }) {
  const parts: SQL[] = [scopeWhere(partyMembers.path, memberScopes(ctx.actor))];
  if (q.region) {
    const region = await geo.regionByCode(ctx.db, q.region);
    if (!region) throw new AppError('region.not_found');
    parts.push(like(partyMembers.path, underPattern(region.path)));
  }
  if (q.compoundId) parts.push(eq(partyMembers.compoundId, q.compoundId));
  return and(...parts) as SQL;
}

type NamedRow = ProgressSqlRow & { community_name: string | null; compound_name: string | null };

function statusWhere(status: ProgressListQuery['status']): SQL {
  if (status === 'all') return sql`true`;
  if (status === 'notMet') return sql`p.status <> 'met'`;
  return sql`p.status = ${status}`;
}

/** Progress rows with names, by member id descending (keyset paging). */
async function progressRows(
  db: Db,
  o: ProgressOptions & { filter: SQL; after: number | null; limit: number },
): Promise<NamedRow[]> {
  return rowsOf<NamedRow>(
    await db.execute(sql`
      select p.*, r.name as community_name, c.name as compound_name
      from (${progressSql(o)}) p
      left join ${regions} r on r.code = p.community_code
      left join ${compounds} c on c.id = p.compound_id
      where ${o.filter} ${o.after === null ? sql`` : sql`and p.member_id < ${o.after}`}
      order by p.member_id desc
      limit ${o.limit}`),
  );
}

function rowView(year: number, r: NamedRow): ProgressRow {
  return {
    ...progressOf(year, r),
    member: { id: Number(r.member_id), name: maskName(r.name) },
    community: { code: r.community_code, name: r.community_name ?? r.community_code },
    compound: { id: Number(r.compound_id), name: r.compound_name ?? '' },
    workUnit: r.work_unit,
  };
}

function listFilter(q: Pick<ProgressListQuery, 'status' | 'group'>): SQL {
  return and(statusWhere(q.status), q.group ? sql`p.grp = ${q.group}` : undefined) as SQL;
}

/** Members of the actor's area and their progress: those behind by default; names masked. */
export async function listProgress(ctx: Authed, q: ProgressListQuery) {
  const year = q.year ?? yearOf(todayOf(ctx.clock));
  const rows = await progressRows(ctx.db, {
    year,
    day: todayOf(ctx.clock),
    where: await staffWhere(ctx, q),
    onlyTargeted: true,
    filter: listFilter(q),
    after: q.cursor ? decodeIdCursor(q.cursor) : null,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => rowView(year, r)),
    nextCursor: rows.length > q.limit ? encodeIdCursor(Number(page.at(-1)?.member_id)) : null,
  };
}

/** Per community of the actor's area (or a region of it): members with a target, met, on track, behind. */
export async function progressSummary(
  ctx: Authed,
  q: { year?: number; region?: string; compoundId?: number },
): Promise<ProgressSummary> {
  const day = todayOf(ctx.clock);
  const year = q.year ?? yearOf(day);
  const counts = await progressCounts(ctx.db, { year, day, where: await staffWhere(ctx, q) });
  return { year, asOf: year === yearOf(day) ? day : `${year}-12-31`, ...counts };
}

const GROUP_ZH: Record<TargetGroup, string> = {
  inServiceCadre: '在职党员（科级及以下）',
  inService: '在职党员',
  all: '全体党员',
};
const STATUS_ZH: Record<ProgressStatus, string> = { met: '已达标', onTrack: '进度正常', behind: '进度落后' };
const COLUMNS = [
  { header: '姓名', key: 'name', width: 10 },
  { header: '社区', key: 'community', width: 16 },
  { header: '小区', key: 'compound', width: 20 },
  { header: '工作单位', key: 'workUnit', width: 22 },
  { header: '目标类别', key: 'group', width: 22 },
  { header: '年度目标', key: 'target', width: 16 },
  { header: '已服务次数', key: 'times', width: 11 },
  { header: '已服务时长（小时）', key: 'hours', width: 17 },
  { header: '尚差', key: 'missing', width: 18 },
  { header: '状态', key: 'status', width: 10 },
];

function sheetRow(r: ProgressRow) {
  return {
    name: r.member.name,
    community: r.community.name,
    compound: r.compound.name,
    workUnit: r.workUnit ?? '',
    group: r.group ? GROUP_ZH[r.group] : '',
    target: r.target ? `${r.target.minTimes} 次 / ${r.target.minHours} 小时` : '',
    times: r.times,
    hours: r.hours,
    missing: r.missing
      ? [r.missing.times ? `${r.missing.times} 次` : '', r.missing.hours ? `${r.missing.hours} 小时` : '']
          .filter(Boolean)
          .join('，') || '—'
      : '',
    status: r.status ? STATUS_ZH[r.status] : '',
  };
}

/** The list as .xlsx (masked as on screen), streamed in pages; the export is audited. */
export async function progressWorkbook(
  ctx: Authed,
  q: Omit<ProgressListQuery, 'cursor' | 'limit'>,
): Promise<NodeJS.ReadableStream> {
  const day = todayOf(ctx.clock);
  const year = q.year ?? yearOf(day);
  const where = await staffWhere(ctx, q);
  await audit(ctx, {
    action: 'service.progress.export',
    entity: 'service_target',
    scopePath: memberScopes(ctx.actor)[0] ?? null,
    detail: { year, filters: q },
  });
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(`${year}年服务进度`);
  ws.columns = COLUMNS;
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  void (async () => {
    let after: number | null = null;
    for (;;) {
      const rows = await progressRows(ctx.db, {
        year,
        day,
        where,
        onlyTargeted: true,
        filter: listFilter(q),
        after,
        limit: 2_000,
      });
      for (const r of rows) ws.addRow(sheetRow(rowView(year, r))).commit();
      if (rows.length < 2_000) break;
      after = Number(rows.at(-1)?.member_id);
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => {
    ctx.log.error({ err }, 'service progress export failed');
    out.destroy(err as Error);
  });
  return out;
}

// The unit report (for employers) ----------------------------------------------------------------

/**
 * The progress of a co-building unit's staff (members whose confirmed registration names it), for
 * its administrators; party staff where it is registered see those of them in their own area.
 */
export async function unitProgress(ctx: Authed, unitId: number, q: { year?: number }): Promise<UnitProgress> {
  const [unit] = await ctx.db
    .select({ id: partyUnits.id, name: partyUnits.name })
    .from(partyUnits)
    .where(eq(partyUnits.id, unitId))
    .limit(1);
  const [admin] = await ctx.db
    .select({ unitId: partyUnitAdmins.unitId })
    .from(partyUnitAdmins)
    .where(and(eq(partyUnitAdmins.unitId, unitId), eq(partyUnitAdmins.userId, ctx.actor.userId)))
    .limit(1);
  if (!unit || (!admin && !(await listUnits(ctx)).some((u) => u.id === unitId)))
    throw new AppError('unit.not_found');
  const staffOf = sql`${partyMembers.id} in (
    select member_id from ${partyRegistrations}
    where unit_id = ${unitId} and status = 'confirmed' and member_id is not null)`;
  const where = admin
    ? staffOf
    : (and(staffOf, scopeWhere(partyMembers.path, memberScopes(ctx.actor))) as SQL);
  const day = todayOf(ctx.clock);
  const year = q.year ?? yearOf(day);
  const rows = await progressRows(ctx.db, {
    year,
    day,
    where,
    onlyTargeted: false,
    filter: sql`true`,
    after: null,
    limit: 5_000,
  });
  const items = rows.map((r) => rowView(year, r));
  const totals = { members: 0, met: 0, onTrack: 0, behind: 0 };
  for (const r of items) {
    if (!r.status) continue;
    totals.members++;
    totals[r.status]++;
  }
  // Most behind first: what the unit's party secretary acts on.
  const rank = (r: ProgressRow) =>
    r.status === 'behind' ? 0 : r.status === 'onTrack' ? 1 : r.status ? 2 : 3;
  items.sort((a, b) => rank(a) - rank(b) || a.hours - b.hours || a.member.id - b.member.id);
  return { unit, year, totals, items };
}

export async function unitProgressWorkbook(ctx: Authed, unitId: number, q: { year?: number }) {
  const report = await unitProgress(ctx, unitId, q);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${report.year}年志愿服务`);
  ws.columns = COLUMNS;
  ws.getRow(1).font = { bold: true };
  for (const r of report.items) ws.addRow(sheetRow(r));
  ws.addRow({});
  const t = report.totals;
  ws.addRow({
    name: `合计：有服务目标的 ${t.members} 人，已达标 ${t.met} 人，进度正常 ${t.onTrack} 人，进度落后 ${t.behind} 人。`,
  });
  return { unitName: report.unit.name, year: report.year, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}

// The member's own -------------------------------------------------------------------------------

export async function myProgress(ctx: Authed, q: { year?: number }): Promise<MyProgress> {
  const day = todayOf(ctx.clock);
  const year = q.year ?? yearOf(day);
  const own = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  if (!own) return { year, progress: null, recent: [], reminders: [] };
  const [row] = rowsOf<ProgressSqlRow>(
    await ctx.db.execute(
      sql`select * from (${progressSql({ year, day, where: eq(partyMembers.id, own.id) })}) p`,
    ),
  );
  const recent = await ctx.db
    .select({
      id: serviceRecords.id,
      activity: serviceRecords.activity,
      serviceDate: serviceRecords.serviceDate,
      minutes: serviceRecords.minutes,
      organiser: serviceRecords.organiser,
    })
    .from(serviceRecords)
    .where(
      and(
        eq(serviceRecords.memberId, own.id),
        eq(serviceRecords.status, 'approved'),
        sql`${serviceRecords.serviceDate} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`,
      ),
    )
    .orderBy(desc(serviceRecords.serviceDate), desc(serviceRecords.id))
    .limit(5);
  const reminders = await ctx.db
    .select({
      r: serviceReminders,
      year: serviceTargets.year,
      minTimes: serviceTargets.minTimes,
      minHours: serviceTargets.minHours,
    })
    .from(serviceReminders)
    .innerJoin(serviceTargets, eq(serviceTargets.id, serviceReminders.targetId))
    .where(and(eq(serviceReminders.memberId, own.id), isNull(serviceReminders.readAt)))
    .orderBy(desc(serviceReminders.id))
    .limit(10);
  return {
    year,
    progress: row ? progressOf(year, row) : null,
    recent: recent.map((r) => ({
      id: r.id,
      activity: r.activity,
      serviceDate: r.serviceDate,
      hours: hoursOf(r.minutes ?? 0),
      organiser: r.organiser,
    })),
    reminders: reminders.map((x) => ({
      id: x.r.id,
      remindOn: x.r.remindOn,
      year: x.year,
      times: x.r.times,
      hours: hoursOf(x.r.minutes),
      target: { minTimes: x.minTimes, minHours: x.minHours },
    })),
  };
}

/** Marks one of my reminders read (again: nothing changes). */
export async function readReminder(ctx: Authed, id: number) {
  const own = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  const [r] = own
    ? await ctx.db
        .select({ id: serviceReminders.id, readAt: serviceReminders.readAt })
        .from(serviceReminders)
        .where(and(eq(serviceReminders.id, id), eq(serviceReminders.memberId, own.id)))
        .limit(1)
    : [];
  if (!r) throw new AppError('service_reminder.not_found');
  if (!r.readAt)
    await ctx.db
      .update(serviceReminders)
      .set({ readAt: ctx.clock.now() })
      .where(and(eq(serviceReminders.id, id), isNull(serviceReminders.readAt)));
  return { ok: true as const };
}

// Reminders --------------------------------------------------------------------------------------

/** A reminder date missed while no instance ran is still sent within this many days. */
export const REMINDER_GRACE_DAYS = 7;

/**
 * On each target's reminder dates (and up to REMINDER_GRACE_DAYS after, should no instance have
 * run that day), one reminder for each member behind under it: behind as measured on that date.
 * The unique index (target, date, member) makes it once each, however often and on however many
 * instances the sweep runs.
 */
export async function runReminderSweep(db: Db, clock: Clock): Promise<{ reminded: number }> {
  const day = todayOf(clock);
  const earliest = new Date(dayMs(day) - REMINDER_GRACE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const due = rowsOf<{ id: number | string; year: number; county_code: string; remind_day: string }>(
    await db.execute(sql`
      select t.id, t.year, t.county_code, d::text as remind_day
      from ${serviceTargets} t cross join lateral unnest(t.remind_on) as d
      where d between ${earliest}::date and ${day}::date
      order by t.id, d`),
  );
  let reminded = 0;
  for (const t of due) {
    const res = await db.execute(sql`
      insert into ${serviceReminders} (target_id, remind_on, member_id, times, minutes, created_at)
      select ${Number(t.id)}, ${t.remind_day}::date, p.member_id, p.times, p.minutes, ${clock.now().toISOString()}::timestamptz
      from (${progressSql({ year: t.year, day: t.remind_day, where: eq(partyMembers.countyCode, t.county_code), onlyTargeted: true })}) p
      where p.target_id = ${Number(t.id)} and p.status = 'behind'
      on conflict (target_id, remind_on, member_id) do nothing
      returning member_id`);
    reminded += rowsOf<{ member_id: number }>(res).length;
  }
  return { reminded };
}
