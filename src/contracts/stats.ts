import { z } from 'zod';
import { RegionCode } from './common.ts';
import { ADMIN_ROLES, type Role } from './roles.ts';

/**
 * 统计口径: the figures the data screen, the role dashboards and the exports show, each defined once.
 * The SQL that computes them lives in src/server/stats/ (rates.ts); the plain-language definitions
 * here are what the screen shows one click away from a figure, so the two must say the same thing.
 */

/**
 * Who may read region-wide figures: the region-level administrators (community and above), for the
 * regions their grant covers. A department officer's grant is on a department, not a region, and
 * their tickets are only those whistled to them, so a community's or county's figures are not theirs
 * to read; grid workers and compound secretaries hold grants below any region; residents, members,
 * merchants and unit administrators are not staff.
 */
export const STATS_ROLES: readonly Role[] = ADMIN_ROLES;

export const RATE_KINDS = ['response', 'resolution', 'satisfaction'] as const;
export type RateKind = (typeof RATE_KINDS)[number];

export const STATS_GROUP_BY = ['none', 'county', 'township', 'community'] as const;
export type StatsGroupBy = (typeof STATS_GROUP_BY)[number];

/** The longest period one query may cover, in calendar days (a leap year). */
export const MAX_PERIOD_DAYS = 366;

interface Text {
  zh: string;
  en: string;
}

export interface RateDefinition {
  name: Text;
  numerator: Text;
  denominator: Text;
  /** The whole definition in a sentence or three: what counts, when, and what does not. */
  definition: Text;
}

/** Tickets that never count in any rate (terminal states that are not a matter handled here). */
export const NOT_COUNTED_NOTE: Text = {
  zh: '不予受理、已转其他渠道和已合并（重复）的诉求不计入任何比率：重复诉求计在它合并进去的那一件上。',
  en: 'Tickets rejected (不予受理), referred to another channel or merged into another (duplicates) count in no rate: a duplicate is counted on the ticket it was merged into.',
};

/** How periods work, for every rate. */
export const PERIOD_NOTE: Text = {
  zh: '统计期间按北京时间的自然日计算，含起止两日。期间尚未结束时数字会随办理进展变化；期间结束、期限全部届满后，响应率和办结率不再变化。',
  en: 'Periods are calendar days in Beijing time (Asia/Shanghai), both ends included. While a period is still running its figures move as tickets are handled; once it is over and its deadlines have passed, the response and resolution rates no longer change.',
};

export const RATE_DEFINITIONS: Record<RateKind, RateDefinition> = {
  response: {
    name: { zh: '响应率', en: 'Response rate' },
    numerator: { zh: '在受理期限内受理的诉求数', en: 'Tickets accepted by their accept deadline' },
    denominator: { zh: '期间内收到的诉求数', en: 'Tickets received in the period' },
    definition: {
      zh: '响应率 = 在受理期限内受理的诉求数 ÷ 期间内收到的诉求数。按诉求的提交时间归入期间（10 月 31 日 23:30 提交的计入 10 月）；受理期限按工作时间计算，遇节假日顺延，所以节前提交、节后期限内受理的也算及时。尚未受理或超过期限才受理的计入分母、不计入分子。',
      en: 'Response rate = tickets accepted by their accept deadline ÷ tickets received in the period. A ticket belongs to the period in which it was received (one received at 23:30 on 31 October counts in October). The accept deadline runs in working time and skips holidays, so a ticket received before a holiday and accepted after it, within its deadline, was accepted in time. Tickets not yet accepted, or accepted late, count in the denominator only.',
    },
  },
  resolution: {
    name: { zh: '办结率', en: 'Resolution rate' },
    numerator: { zh: '在办理期限内办结的诉求数', en: 'Tickets resolved by their resolve deadline' },
    denominator: {
      zh: '办理期限在期间内届满的诉求数',
      en: 'Tickets whose resolve deadline fell in the period',
    },
    definition: {
      zh: '办结率 = 在办理期限内办结的诉求数 ÷ 办理期限在期间内届满的诉求数。按办理期限（工作时间，遇节假日顺延；批准延期或居民不满意重办后以新期限为准）归入期间。“办结”指诉求已办结（待确认、待回访或已关闭），且办结时间不晚于期限；超期办结、仍在办理或被退回重办的不计入分子。以期限内办结为准，期间结束后的迟办不会改变已发布的数字，并与响应率的“及时”口径一致。',
      en: 'Resolution rate = tickets resolved by their resolve deadline ÷ tickets whose resolve deadline fell in the period. The deadline runs in working time and skips holidays; after an approved extension, or a reopening because the resident was not satisfied, the new deadline is the one that counts. Resolved means the ticket is resolved (awaiting confirmation, awaiting the rating, or closed) and was resolved no later than its deadline; tickets resolved late, still being handled or sent back count in the denominator only. Counting resolution in time, rather than at any time, keeps a published figure from changing when late tickets close afterwards, and matches the response rate.',
    },
  },
  satisfaction: {
    name: { zh: '满意率', en: 'Satisfaction rate' },
    numerator: { zh: '评价为“满意”的诉求数', en: 'Tickets rated satisfied' },
    denominator: { zh: '期间内作出评价的诉求数', en: 'Tickets rated in the period' },
    definition: {
      zh: '满意率 = 评价为“满意”的诉求数 ÷ 期间内作出评价的诉求数。回访时居民（或代为记录回访电话的工作人员）在 1–5 星之外明确选择“满意”或“不满意”，以此为准，不按星级折算。以诉求关闭时的最终评价为准、按关闭时间归入期间：不满意重办的诉求待最终评价后才计入；超时未评价的不计入分母。期间内没有评价时满意率为空，而不是 0。',
      en: 'Satisfaction rate = tickets rated satisfied ÷ tickets rated in the period. At the follow-up the resident (or the staff member recording a follow-up call) answers “satisfied” or “not satisfied” besides giving 1–5 stars; that answer counts, stars are not converted. The final verdict, given when the ticket closes, counts, in the period in which it closed: a ticket reopened after a “not satisfied” counts once it is finally rated; tickets closed without a rating are not in the denominator. With no ratings in the period the rate is empty, not 0.',
    },
  },
};

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date' })
  .refine(
    (d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
    },
    { message: 'date' },
  )
  .describe('YYYY-MM-DD, a calendar day in Asia/Shanghai');

export const RatesQuery = z.object({
  region: RegionCode.describe('The region the figures cover: 6, 9 or 12-digit statistical code'),
  from: Day.describe('First day of the period (YYYY-MM-DD, Asia/Shanghai), included'),
  to: Day.describe('Last day of the period (YYYY-MM-DD, Asia/Shanghai), included'),
  groupBy: z
    .enum(STATS_GROUP_BY)
    .default('none')
    .describe('Split the figures by the regions of this level inside `region` (at or below its level)'),
});
export type RatesQuery = z.infer<typeof RatesQuery>;

export const RateFigure = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  /** numerator / denominator; null when the denominator is 0 (never 0 or NaN for "no data"). */
  rate: z.number().nullable(),
});
export type RateFigure = z.infer<typeof RateFigure>;

export const TicketRates = z.object({
  response: RateFigure,
  resolution: RateFigure,
  satisfaction: RateFigure,
});
export type TicketRates = z.infer<typeof TicketRates>;

export const RatesResult = z.object({
  region: z.object({
    code: z.string(),
    name: z.string(),
    level: z.enum(['city', 'county', 'township', 'community']),
  }),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(STATS_GROUP_BY),
  total: TicketRates,
  /** One row per region of the `groupBy` level inside the region, those without tickets included. */
  groups: z.array(TicketRates.extend({ code: z.string(), name: z.string() })),
});
export type RatesResult = z.infer<typeof RatesResult>;
