import type { RatesQuery, RatesResult } from '../../contracts/stats.ts';
import { STATS_ROLES } from '../../contracts/stats.ts';
import { type Actor, coversPath, hasAnyRole } from '../core/access.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import * as geo from '../geo/repo.ts';
import { GROUP_DEPTH, ticketRates } from './rates.ts';

type Authed = Ctx & { actor: Actor };

const LEVEL_DEPTH = { city: 1, county: 2, township: 3, community: 4 } as const;
const LEVEL_LABELS = {
  county: { zh: '县（区）', en: 'county' },
  township: { zh: '街道（乡镇）', en: 'township' },
  community: { zh: '社区', en: 'community' },
} as const;

/** Refuses anyone who may read no figures at all, before anything is looked up. */
export function requireStatsReader(actor: Actor): void {
  if (!hasAnyRole(actor, STATS_ROLES)) throw new AppError('access.forbidden');
}

/** The three ticket rates for a region the caller's grant covers; a region outside it is not found. */
export async function rates(ctx: Authed, q: RatesQuery): Promise<RatesResult> {
  requireStatsReader(ctx.actor);
  const region = await geo.regionByCode(ctx.db, q.region);
  if (!region || !coversPath(ctx.actor, STATS_ROLES, region.path)) throw new AppError('region.not_found');
  if (q.groupBy !== 'none' && GROUP_DEPTH[q.groupBy] < LEVEL_DEPTH[region.level])
    throw new AppError('stats.group_level', { region: region.name, level: LEVEL_LABELS[q.groupBy] });
  const r = await ticketRates(ctx.db, { scopes: [region.path], from: q.from, to: q.to, groupBy: q.groupBy });
  return {
    region: { code: region.code, name: region.name, level: region.level },
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    ...r,
  };
}
