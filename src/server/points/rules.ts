/**
 * 积分规则: each county sets how much each source earns; a county that has not set a source
 * earns by DEFAULT_RULES. Only a county's departures from the defaults are stored, so a county
 * that sets a source back to the default follows the default again.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { RulesBody, RulesView, RuleView } from '../../contracts/points-rules.ts';
import {
  DEFAULT_RULES,
  type EarningRule,
  MAX_ENTRY_POINTS,
  POINT_SOURCES,
  type PointSource,
} from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, coversPath } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError, type Locale } from '../core/errors.ts';
import { maskName } from '../core/mask.ts';
import type { Db } from '../db/index.ts';
import * as geo from '../geo/repo.ts';
import { memberScopes, SCHEME_ROLES } from '../party/policy.ts';
import { pointsRules } from './tables.ts';

type Authed = Ctx & { actor: Actor };

/** Sources in words, for errors (the web has its own labels in i18n points.sources). */
const SOURCE_LABELS: Record<PointSource, { zh: string; en: string }> = {
  service: { zh: '志愿服务时长', en: 'service hours' },
  activity: { zh: '参加活动', en: 'activities' },
  branch: { zh: '支部记实', en: 'branch records' },
  selfDeclared: { zh: '本人申报', en: 'self-declared' },
  praise: { zh: '居民表扬', en: 'residents’ praise' },
  peer: { zh: '党员互评', en: 'peer evaluation' },
  award: { zh: '组织奖励', en: 'organisation awards' },
  deduction: { zh: '扣分', en: 'deductions' },
};
export const sourceLabel = (source: PointSource, locale: Locale) =>
  locale === 'en' ? SOURCE_LABELS[source].en : SOURCE_LABELS[source].zh;

const defaultOf = (source: PointSource): EarningRule => {
  const d = DEFAULT_RULES.find((x) => x.source === source);
  if (!d) throw new Error(`points: no default rule for ${source}`);
  return d;
};

const ruleOfRow = (r: typeof pointsRules.$inferSelect): EarningRule => ({
  source: r.source as PointSource,
  points: r.points,
  unit: r.unit as EarningRule['unit'],
  maxPerEntry: r.maxPerEntry,
  declarable: r.declarable,
});

export async function ruleFor(db: Db, countyCode: string, source: PointSource): Promise<EarningRule> {
  const [r] = await db
    .select()
    .from(pointsRules)
    .where(and(eq(pointsRules.countyCode, countyCode), eq(pointsRules.source, source)))
    .limit(1);
  return r ? ruleOfRow(r) : defaultOf(source);
}

/** Every source's rule of a county, in POINT_SOURCES order, the defaults filled in. */
export async function rulesOf(
  db: Db,
  countyCode: string,
): Promise<(EarningRule & { isDefault: boolean; updatedAt: Date | null; updatedBy: string | null })[]> {
  const rows = await db
    .select({ r: pointsRules, by: users.name })
    .from(pointsRules)
    .leftJoin(users, eq(users.id, pointsRules.updatedBy))
    .where(eq(pointsRules.countyCode, countyCode));
  return POINT_SOURCES.map((source) => {
    const own = rows.find((x) => x.r.source === source);
    return own
      ? { ...ruleOfRow(own.r), isDefault: false, updatedAt: own.r.updatedAt, updatedBy: own.by ?? null }
      : { ...defaultOf(source), isDefault: true, updatedAt: null, updatedBy: null };
  });
}

/**
 * Refuses an entry above the county's most for its source (the absolute MAX_ENTRY_POINTS is the
 * contract's): a slip of the keyboard, or more than the county allows for one deed.
 */
export async function checkWithinRule(ctx: Ctx, countyCode: string, source: PointSource, points: number) {
  const rule = await ruleFor(ctx.db, countyCode, source);
  const max = Math.min(rule.maxPerEntry, MAX_ENTRY_POINTS);
  if (points > max)
    throw new AppError('points.over_rule_cap', { source: sourceLabel(source, ctx.locale), max });
  return rule;
}

// The county's table, for the console --------------------------------------------------------------

/** The county, if the actor does party work in it, over it or somewhere inside it. */
async function county(ctx: Authed, code: string) {
  const r = await geo.regionByCode(ctx.db, code);
  const within = (path: string) =>
    memberScopes(ctx.actor).some((p) => p.startsWith(path) || path.startsWith(p));
  if (r?.level !== 'county' || !within(r.path)) throw new AppError('region.not_found');
  return r;
}

/** A county's rules (defaults filled in), for anyone doing party work in or over it. */
export async function countyRules(ctx: Authed, countyCode: string): Promise<RulesView> {
  const c = await county(ctx, countyCode);
  const rules = await rulesOf(ctx.db, c.code);
  return {
    countyCode: c.code,
    countyName: c.name,
    rules: rules.map(
      (r): RuleView => ({
        source: r.source,
        points: r.points,
        unit: r.unit,
        maxPerEntry: r.maxPerEntry,
        declarable: r.declarable,
        isDefault: r.isDefault,
        updatedAt: r.updatedAt?.toISOString() ?? null,
        updatedBy: r.updatedBy ? maskName(r.updatedBy) : null,
      }),
    ),
    can: { edit: coversPath(ctx.actor, SCHEME_ROLES, c.path) },
  };
}

const same = (a: EarningRule, b: EarningRule) =>
  a.points === b.points &&
  a.unit === b.unit &&
  a.maxPerEntry === b.maxPerEntry &&
  a.declarable === b.declarable;

/**
 * Sets a county's whole table (county and city administrators). A source set to its default is
 * stored as "no row", so it follows the default; each changed source is audited from → to.
 */
export async function setCountyRules(ctx: Authed, countyCode: string, body: RulesBody): Promise<RulesView> {
  const c = await county(ctx, countyCode);
  if (!coversPath(ctx.actor, SCHEME_ROLES, c.path)) throw new AppError('access.forbidden');
  const en = ctx.locale === 'en';
  const problems: { path: string; message: string }[] = [];
  body.rules.forEach((r, i) => {
    if (body.rules.findIndex((x) => x.source === r.source) !== i)
      problems.push({
        path: `rules.${i}.source`,
        message: en ? 'Each source may appear once' : '每个积分来源只能出现一次',
      });
    if (r.source === 'deduction' && r.declarable)
      problems.push({
        path: `rules.${i}.declarable`,
        message: en ? 'Members cannot declare deductions' : '扣分不能由党员自主申报',
      });
    if (r.unit === 'entry' && r.points > r.maxPerEntry)
      problems.push({
        path: `rules.${i}.points`,
        message: en ? 'The points per entry cannot exceed the most per entry' : '每条分值不能超过单笔上限',
      });
    if (r.source === 'deduction' && r.unit === 'hour')
      problems.push({
        path: `rules.${i}.unit`,
        message: en ? 'Deductions are counted per entry' : '扣分只能按条计',
      });
  });
  if (problems.length) throw new AppError('request.invalid', {}, problems);

  const before = await rulesOf(ctx.db, c.code);
  const now = ctx.clock.now();
  const changes: Record<string, { from: EarningRule; to: EarningRule }> = {};
  for (const r of body.rules) {
    const was = before.find((b) => b.source === r.source) as EarningRule;
    if (!same(was, r)) changes[r.source] = { from: pick(was), to: pick(r) };
  }
  const toDefault = body.rules.filter((r) => same(r, defaultOf(r.source))).map((r) => r.source);
  const own = body.rules.filter((r) => !same(r, defaultOf(r.source)));
  if (toDefault.length)
    await ctx.db
      .delete(pointsRules)
      .where(and(eq(pointsRules.countyCode, c.code), inArray(pointsRules.source, toDefault)));
  for (const r of own)
    await ctx.db
      .insert(pointsRules)
      .values({ countyCode: c.code, ...r, updatedBy: ctx.actor.userId, updatedAt: now })
      .onConflictDoUpdate({
        target: [pointsRules.countyCode, pointsRules.source],
        set: {
          points: r.points,
          unit: r.unit,
          maxPerEntry: r.maxPerEntry,
          declarable: r.declarable,
          updatedBy: ctx.actor.userId,
          updatedAt: now,
        },
        // Untouched sources keep who set them and when.
        setWhere: sql`(${pointsRules.points}, ${pointsRules.unit}, ${pointsRules.maxPerEntry}, ${pointsRules.declarable})
          is distinct from (excluded.points, excluded.unit, excluded.max_per_entry, excluded.declarable)`,
      });
  if (Object.keys(changes).length)
    await audit(ctx, {
      action: 'points.rules.set',
      entity: 'points_rules',
      entityId: c.code,
      scopePath: c.path,
      detail: { changes },
    });
  return countyRules(ctx, c.code);
}

const pick = (r: EarningRule): EarningRule => ({
  source: r.source,
  points: r.points,
  unit: r.unit,
  maxPerEntry: r.maxPerEntry,
  declarable: r.declarable,
});
