import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import {
  CARE_KINDS,
  COLOURS,
  type ColourEntry,
  EDUCATIONS,
  LEDGERS,
  MEMBER_STATUSES,
  MOBILE_DIRECTIONS,
  ORG_KINDS,
  ORG_STATUSES,
  type OrgKind,
  type OrgStatus,
  SEXES,
  STANDINGS,
  VISIT_MODES,
} from '../../contracts/party-states.ts';
import { users } from '../auth/tables.ts';
import { bytea } from '../core/files.tables.ts';
import { oneOf } from '../db/checks.ts';
import { buildings, compounds, households, regions } from '../geo/tables.ts';

/**
 * 党组织: a community's committee or general branch, its compound/grid branches, their building
 * groups and party-member households. Never deleted: merged and dissolved ones keep their row and
 * history. `path` is the community's region path (access follows the region tree).
 */
export const partyOrgs = pgTable(
  'party_orgs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: varchar('kind', { length: 20 }).notNull().$type<OrgKind>(),
    name: text('name').notNull(),
    parentId: bigint('parent_id', { mode: 'number' }),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    path: text('path').notNull(),
    /** A building group's building; a party-member household's household. */
    buildingId: bigint('building_id', { mode: 'number' }).references(() => buildings.id),
    householdId: bigint('household_id', { mode: 'number' }).references(() => households.id),
    status: varchar('status', { length: 12 }).notNull().default('active').$type<OrgStatus>(),
    foundedOn: date('founded_on'),
    endedOn: date('ended_on'),
    mergedIntoId: bigint('merged_into_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('party_orgs_community_idx').on(t.communityCode, t.kind),
    index('party_orgs_parent_idx').on(t.parentId),
    check('party_orgs_kind_chk', oneOf('kind', ORG_KINDS)),
    check('party_orgs_status_chk', oneOf('status', ORG_STATUSES)),
    check('party_orgs_merged_chk', sql`(${t.status} = 'merged') = (${t.mergedIntoId} is not null)`),
  ],
);

/** The compounds a branch covers: one (单独组建) or several neighbouring ones (就近联建). */
export const partyOrgCompounds = pgTable(
  'party_org_compounds',
  {
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => partyOrgs.id),
    compoundId: bigint('compound_id', { mode: 'number' })
      .notNull()
      .references(() => compounds.id),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.compoundId] }),
    index('party_org_compounds_compound_idx').on(t.compoundId),
  ],
);

/** What happened to an organisation: created, renamed, compounds changed, merged, dissolved. */
export const partyOrgEvents = pgTable(
  'party_org_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: bigint('org_id', { mode: 'number' })
      .notNull()
      .references(() => partyOrgs.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: bigint('actor_user_id', { mode: 'number' }).references(() => users.id),
    kind: varchar('kind', { length: 20 }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('party_org_events_org_idx').on(t.orgId, t.at)],
);

/**
 * 党员: one row per person (the blind index of the ID number is unique), kept for ever (a member
 * transferred out or deceased keeps the record with that status). The ID number itself is sealed
 * (core/pii.ts); `id_masked` is what lists show. `path` is the compound's region path.
 */
export const partyMembers = pgTable(
  'party_members',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    name: text('name').notNull(),
    sex: varchar('sex', { length: 6 }).notNull(),
    birthDate: date('birth_date').notNull(),
    idSealed: bytea('id_sealed').notNull(),
    idIndex: bytea('id_index').notNull(),
    idMasked: varchar('id_masked', { length: 18 }).notNull(),
    phone: varchar('phone', { length: 20 }),
    education: varchar('education', { length: 12 }),
    joinedOn: date('joined_on'),
    standing: varchar('standing', { length: 12 }).notNull().default('full'),
    /** 组织关系所在: the organisation that holds the member's party relation (their employer's, for in-service members). */
    relationAt: text('relation_at'),
    orgId: bigint('org_id', { mode: 'number' }).references(() => partyOrgs.id),
    compoundId: bigint('compound_id', { mode: 'number' })
      .notNull()
      .references(() => compounds.id),
    buildingId: bigint('building_id', { mode: 'number' }).references(() => buildings.id),
    householdId: bigint('household_id', { mode: 'number' }).references(() => households.id),
    communityCode: varchar('community_code', { length: 12 }).notNull(),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    path: text('path').notNull(),
    ledger: varchar('ledger', { length: 12 }).notNull(),
    workUnit: text('work_unit'),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    frail: boolean('frail').notNull().default(false),
    status: varchar('status', { length: 16 }).notNull().default('normal'),
    /** A colour staff chose over the scheme's suggestion, and why. */
    colour: varchar('colour', { length: 8 }),
    colourReason: text('colour_reason'),
    mobileDirection: varchar('mobile_direction', { length: 4 }),
    /** Where a member went (out) or came from (in). */
    mobilePlace: text('mobile_place'),
    mobileContact: text('mobile_contact'),
    /** 流动党员活动证 number. */
    mobileCertificate: varchar('mobile_certificate', { length: 40 }),
    mobileSince: date('mobile_since'),
    /** Bumped by every change: an edit made on a stale copy is refused instead of overwriting. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('party_members_id_index_uq').on(t.idIndex),
    uniqueIndex('party_members_user_uq').on(t.userId).where(sql`user_id is not null`),
    index('party_members_path_idx').using('btree', t.path.op('text_pattern_ops'), t.id),
    index('party_members_compound_idx').on(t.compoundId, t.ledger),
    index('party_members_org_idx').on(t.orgId),
    index('party_members_phone_idx').on(t.phone),
    check('party_members_sex_chk', oneOf('sex', SEXES)),
    check('party_members_standing_chk', oneOf('standing', STANDINGS)),
    check('party_members_ledger_chk', oneOf('ledger', LEDGERS)),
    check('party_members_status_chk', oneOf('status', MEMBER_STATUSES)),
    check('party_members_education_chk', sql`education is null or ${oneOf('education', EDUCATIONS)}`),
    check('party_members_colour_chk', sql`colour is null or ${oneOf('colour', COLOURS)}`),
    check(
      'party_members_mobile_chk',
      sql`(ledger = 'mobile') = (mobile_direction is not null) and (mobile_direction is null or ${oneOf('mobile_direction', MOBILE_DIRECTIONS)})`,
    ),
  ],
);

/**
 * Every change to a member's record: who, when, which fields from what to what (the ID number
 * only masked), and the reason where one is required (a ledger move, a status change, a colour).
 */
export const partyMemberEvents = pgTable(
  'party_member_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: bigint('actor_user_id', { mode: 'number' }).references(() => users.id),
    kind: varchar('kind', { length: 20 }).notNull(),
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>(),
    reason: text('reason'),
  },
  (t) => [index('party_member_events_member_idx').on(t.memberId, t.at)],
);

/** 五色 schemes, per county (a county without one uses DEFAULT_COLOUR_SCHEME). */
export const partyColourSchemes = pgTable('party_colour_schemes', {
  countyCode: varchar('county_code', { length: 6 }).primaryKey(),
  entries: jsonb('entries').notNull().$type<ColourEntry[]>(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
});

/**
 * Every ledger import: who, when, which file, what came of it, and the problems found (the
 * error report is rebuilt from them on download). A rejected import saved nothing else.
 */
export const partyImports = pgTable(
  'party_imports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    fileName: text('file_name').notNull(),
    /** checked: a dry run that found nothing wrong; imported; rejected (nothing saved). */
    status: varchar('status', { length: 10 }).notNull(),
    rows: integer('rows').notNull(),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    problemCount: integer('problem_count').notNull().default(0),
    problems: jsonb('problems').$type<{ row: number; column: string; reason: string }[]>(),
    elapsedMs: integer('elapsed_ms'),
  },
  (t) => [
    index('party_imports_user_idx').on(t.userId, t.at),
    check('party_imports_status_chk', oneOf('status', ['checked', 'imported', 'rejected'])),
  ],
);

/** 共建单位: an employer or agency whose party members live in the city's communities. */
export const partyUnits = pgTable(
  'party_units',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    contactName: text('contact_name'),
    contactPhone: varchar('contact_phone', { length: 20 }),
    /** In-service members the unit expects to register where they live (its headcount to reach). */
    expectedMembers: integer('expected_members').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('party_units_name_uq').on(t.name)],
);

/** A unit's registration with a community (单位报到): the agreement and what it pledged. */
export const partyUnitCommunities = pgTable(
  'party_unit_communities',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    unitId: bigint('unit_id', { mode: 'number' })
      .notNull()
      .references(() => partyUnits.id),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    path: text('path').notNull(),
    agreement: text('agreement'),
    pledged: text('pledged'),
    contactName: text('contact_name'),
    contactPhone: varchar('contact_phone', { length: 20 }),
    signedOn: date('signed_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
  },
  (t) => [
    uniqueIndex('party_unit_communities_uq').on(t.unitId, t.communityCode),
    index('party_unit_communities_path_idx').using('btree', t.path.op('text_pattern_ops')),
  ],
);

/** Who administers a unit's side: sees its staff's registrations. */
export const partyUnitAdmins = pgTable(
  'party_unit_admins',
  {
    unitId: bigint('unit_id', { mode: 'number' })
      .notNull()
      .references(() => partyUnits.id),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.userId] }), index('party_unit_admins_user_idx').on(t.userId)],
);

/**
 * 在职党员双报到: an in-service member registers with the community where they live, from the
 * phone; the community confirms (the member goes onto the in-service ledger) or rejects with a
 * reason. The ID number is sealed as on the ledger.
 */
export const partyRegistrations = pgTable(
  'party_registrations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    sex: varchar('sex', { length: 6 }).notNull(),
    birthDate: date('birth_date').notNull(),
    idSealed: bytea('id_sealed').notNull(),
    idIndex: bytea('id_index').notNull(),
    idMasked: varchar('id_masked', { length: 18 }).notNull(),
    phone: varchar('phone', { length: 20 }).notNull(),
    unitId: bigint('unit_id', { mode: 'number' }).references(() => partyUnits.id),
    workUnit: text('work_unit').notNull(),
    compoundId: bigint('compound_id', { mode: 'number' })
      .notNull()
      .references(() => compounds.id),
    communityCode: varchar('community_code', { length: 12 }).notNull(),
    path: text('path').notNull(),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    /** 是否担任领导职务 (cadres at section level and above have their own service targets). */
    leader: boolean('leader').notNull().default(false),
    status: varchar('status', { length: 10 }).notNull().default('pending'),
    reason: text('reason'),
    decidedBy: bigint('decided_by', { mode: 'number' }).references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    memberId: bigint('member_id', { mode: 'number' }).references(() => partyMembers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('party_registrations_path_idx').using('btree', t.path.op('text_pattern_ops'), t.status),
    index('party_registrations_unit_idx').on(t.unitId, t.status),
    // One open registration per person at a time.
    uniqueIndex('party_registrations_pending_uq').on(t.userId).where(sql`status = 'pending'`),
    check(
      'party_registrations_status_chk',
      oneOf('status', ['pending', 'confirmed', 'rejected', 'withdrawn']),
    ),
    check('party_registrations_sex_chk', oneOf('sex', SEXES)),
  ],
);

/**
 * 包联户: a household in difficulty that the community asks party members to look after. Kept
 * when it no longer needs care (closed, with the reason). `path` is the compound's region path.
 * `last_visited_on` and `due_from` move with each visit so lists can sort and filter by what is
 * due without reading every visit.
 */
export const partyCareHouseholds = pgTable(
  'party_care_households',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    headName: text('head_name').notNull(),
    phone: varchar('phone', { length: 20 }),
    compoundId: bigint('compound_id', { mode: 'number' })
      .notNull()
      .references(() => compounds.id),
    buildingId: bigint('building_id', { mode: 'number' }).references(() => buildings.id),
    householdId: bigint('household_id', { mode: 'number' }).references(() => households.id),
    address: text('address'),
    communityCode: varchar('community_code', { length: 12 }).notNull(),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    path: text('path').notNull(),
    kinds: text('kinds').array().notNull(),
    note: text('note'),
    visitEveryDays: integer('visit_every_days').notNull(),
    status: varchar('status', { length: 8 }).notNull().default('active'),
    closedReason: text('closed_reason'),
    markedOn: date('marked_on').notNull(),
    lastVisitedOn: date('last_visited_on'),
    /**
     * Where the visiting clock starts: the marking, then each later visit, and the day a household
     * nobody looked after gets a member again (its lapse was nobody's). Due = this + the interval.
     */
    dueFrom: date('due_from').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('party_care_households_path_idx').using('btree', t.path.op('text_pattern_ops'), t.id),
    index('party_care_households_compound_idx').on(t.compoundId),
    // A household is marked once while it needs care.
    uniqueIndex('party_care_households_household_uq')
      .on(t.householdId)
      .where(sql`household_id is not null and status = 'active'`),
    check('party_care_households_status_chk', oneOf('status', ['active', 'closed'])),
    check('party_care_households_every_chk', sql`visit_every_days between 1 and 365`),
    check(
      'party_care_households_kinds_chk',
      sql`cardinality(kinds) > 0 and kinds <@ array[${sql.raw(CARE_KINDS.map((k) => `'${k}'`).join(','))}]::text[]`,
    ),
  ],
);

/** A member paired with a household (结对): ended, never deleted, when the pairing stops. */
export const partyPairings = pgTable(
  'party_pairings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    careId: bigint('care_id', { mode: 'number' })
      .notNull()
      .references(() => partyCareHouseholds.id),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    startedOn: date('started_on').notNull(),
    endedOn: date('ended_on'),
    endReason: text('end_reason'),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('party_pairings_current_uq').on(t.careId, t.memberId).where(sql`ended_on is null`),
    index('party_pairings_member_idx').on(t.memberId).where(sql`ended_on is null`),
  ],
);

/** A visit to a household (走访): by a paired member, or by staff. Never deleted. */
export const partyVisits = pgTable(
  'party_visits',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    careId: bigint('care_id', { mode: 'number' })
      .notNull()
      .references(() => partyCareHouseholds.id),
    memberId: bigint('member_id', { mode: 'number' }).references(() => partyMembers.id),
    visitedOn: date('visited_on').notNull(),
    mode: varchar('mode', { length: 8 }).notNull(),
    notes: text('notes').notNull(),
    problemsFound: text('problems_found'),
    problemsSolved: text('problems_solved'),
    recordedBy: bigint('recorded_by', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('party_visits_care_idx').on(t.careId, t.visitedOn),
    index('party_visits_member_idx').on(t.memberId, t.visitedOn),
    check('party_visits_mode_chk', oneOf('mode', VISIT_MODES)),
  ],
);

/** What happened to a care household: marked, edited, paired, unpaired, closed. */
export const partyCareEvents = pgTable(
  'party_care_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    careId: bigint('care_id', { mode: 'number' })
      .notNull()
      .references(() => partyCareHouseholds.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: bigint('actor_user_id', { mode: 'number' }).references(() => users.id),
    kind: varchar('kind', { length: 20 }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('party_care_events_care_idx').on(t.careId, t.at)],
);
