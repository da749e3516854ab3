/** The party domain's fixed vocabularies (names from the glossary in ARCHITECTURE.md). */

/** 党委 / 党总支 / 党支部 / 党小组 / 党员中心户, from the community down. */
export const ORG_KINDS = ['committee', 'generalBranch', 'branch', 'group', 'centralHousehold'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/**
 * Which kind an organisation may sit under. A committee or general branch heads a community; a
 * small community's branch may head it itself (null: directly under the township's party body).
 */
export const ORG_PARENT: Record<OrgKind, readonly (OrgKind | null)[]> = {
  committee: [null],
  generalBranch: [null],
  branch: [null, 'committee', 'generalBranch'],
  group: ['branch'],
  centralHousehold: ['group', 'branch'],
};

export const ORG_STATUSES = ['active', 'merged', 'dissolved'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

/** A branch needs at least this many full members (党章: 正式党员三人以上的，应当成立党的基层组织). */
export const BRANCH_MIN_FULL_MEMBERS = 3;

/** 四本台账: 直管 / 离退休 / 在职 / 流动. */
export const LEDGERS = ['direct', 'retired', 'inService', 'mobile'] as const;
export type Ledger = (typeof LEDGERS)[number];

/** 正式党员 / 预备党员. */
export const STANDINGS = ['full', 'probationary'] as const;
export type Standing = (typeof STANDINGS)[number];

/** 正常 / 已转出 / 已去世 / 已出党 (a record is kept, never deleted). */
export const MEMBER_STATUSES = ['normal', 'transferredOut', 'deceased', 'removed'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

/** 学历, as on the national member information form. */
export const EDUCATIONS = [
  'primary',
  'juniorHigh',
  'seniorHigh',
  'vocational',
  'college',
  'bachelor',
  'master',
  'doctorate',
] as const;
export type Education = (typeof EDUCATIONS)[number];

/** Mobile members: gone out to work elsewhere (流出), or come here from elsewhere (流入). */
export const MOBILE_DIRECTIONS = ['out', 'in'] as const;
export type MobileDirection = (typeof MOBILE_DIRECTIONS)[number];

/** 五色: the colours a county's scheme may use. */
export const COLOURS = ['red', 'orange', 'purple', 'blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

/**
 * What suggests a colour: a ledger, an age, the frail flag, or nothing (the colour of everyone
 * else). A scheme lists its colours in priority order; the first whose rule matches is suggested.
 */
export type ColourRule =
  | { kind: 'ledger'; ledgers: Ledger[] }
  | { kind: 'ageAtLeast'; years: number }
  | { kind: 'frail' }
  | { kind: 'otherwise' };

export interface ColourEntry {
  colour: Colour;
  /** What the colour means in this county (在职 / 普通 / 高龄 …). */
  labelZh: string;
  labelEn: string;
  rule: ColourRule;
}

/** 浑源县's scheme, the default for counties that have not set their own. */
export const DEFAULT_COLOUR_SCHEME: ColourEntry[] = [
  { colour: 'green', labelZh: '流动党员', labelEn: 'Mobile', rule: { kind: 'ledger', ledgers: ['mobile'] } },
  { colour: 'blue', labelZh: '体弱党员', labelEn: 'Frail', rule: { kind: 'frail' } },
  { colour: 'purple', labelZh: '高龄党员', labelEn: 'Elderly', rule: { kind: 'ageAtLeast', years: 80 } },
  {
    colour: 'red',
    labelZh: '在职党员',
    labelEn: 'In service',
    rule: { kind: 'ledger', ledgers: ['inService'] },
  },
  { colour: 'orange', labelZh: '普通党员', labelEn: 'Regular', rule: { kind: 'otherwise' } },
];

/**
 * 包联: why a household is in difficulty. 独居老人 / 空巢老人 / 残疾人 / 低保 / 特困供养 /
 * 大病 / 留守儿童 / 优抚对象 / 其他. A household may be several at once.
 */
export const CARE_KINDS = [
  'elderlyAlone',
  'emptyNest',
  'disabled',
  'lowIncome',
  'extremePoverty',
  'seriousIllness',
  'leftBehindChild',
  'veteranFamily',
  'other',
] as const;
export type CareKind = (typeof CARE_KINDS)[number];

/** 上门走访 / 电话问候 / 其他 (e.g. met in the street, accompanied to hospital). */
export const VISIT_MODES = ['home', 'phone', 'other'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];

/**
 * Where a household stands: no member paired; its visit is overdue; due within DUE_SOON_DAYS;
 * visited recently; or no longer in difficulty (closed).
 */
export const CARE_STATES = ['unpaired', 'overdue', 'dueSoon', 'onTrack', 'closed'] as const;
export type CareState = (typeof CARE_STATES)[number];

/** Default visit interval: once a month, as most counties ask of paired members. */
export const DEFAULT_VISIT_EVERY_DAYS = 30;
export const DUE_SOON_DAYS = 7;
