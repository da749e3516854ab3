/**
 * 积分规则: each county sets how much each source earns; a county that has not set a source
 * earns by DEFAULT_RULES.
 */
import { and, eq } from 'drizzle-orm';
import { DEFAULT_RULES, type EarningRule, type PointSource } from '../../contracts/points-states.ts';
import type { Db } from '../db/index.ts';
import { pointsRules } from './tables.ts';

export async function ruleFor(db: Db, countyCode: string, source: PointSource): Promise<EarningRule> {
  const [r] = await db
    .select()
    .from(pointsRules)
    .where(and(eq(pointsRules.countyCode, countyCode), eq(pointsRules.source, source)))
    .limit(1);
  if (r)
    return {
      source,
      points: r.points,
      unit: r.unit as EarningRule['unit'],
      maxPerEntry: r.maxPerEntry,
      declarable: r.declarable,
    };
  const d = DEFAULT_RULES.find((x) => x.source === source);
  if (!d) throw new Error(`points: no default rule for ${source}`);
  return d;
}
