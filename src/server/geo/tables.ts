import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * Administrative regions (区划) down to community/village committees, keyed by the GB/T 2260 /
 * statistical code. `path` is the materialized chain of codes ("140200.140213.140213001.") so that
 * "everything under 平城区" is one indexed prefix predicate on any scoped table.
 */
export const regions = pgTable(
  'regions',
  {
    code: varchar('code', { length: 12 }).primaryKey(),
    /** Display name, committee suffix dropped: 文兴社区, 水泊寺村. */
    name: text('name').notNull(),
    /** Name as published in the statistical division list: 文兴社区居民委员会. */
    officialName: text('official_name').notNull(),
    level: varchar('level', { length: 12 }).notNull().$type<'city' | 'county' | 'township' | 'community'>(),
    /** For communities: 'community' (居委会, urban) or 'village' (村委会, rural). */
    kind: varchar('kind', { length: 12 }),
    parentCode: varchar('parent_code', { length: 12 }),
    path: text('path').notNull(),
    countyCode: varchar('county_code', { length: 6 }),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [
    index('regions_path_idx').using('btree', t.path.op('text_pattern_ops')),
    index('regions_parent_idx').on(t.parentCode),
    check('regions_level_chk', sql`${t.level} in ('city','county','township','community')`),
  ],
);

/** 网格: a community is divided into grids; one grid serves every line of work (多格合一). */
export const grids = pgTable(
  'grids',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    code: varchar('code', { length: 20 }).notNull(),
    name: text('name').notNull(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    path: text('path').notNull(),
    workerUserId: bigint('worker_user_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('grids_code_uq').on(t.code),
    uniqueIndex('grids_community_name_uq').on(t.communityCode, t.name),
    index('grids_path_idx').using('btree', t.path.op('text_pattern_ops')),
    index('grids_community_idx').on(t.communityCode),
  ],
);

/** 小区. `code` = community's 12-digit code + 3-digit sequence; belongs to exactly one grid. */
export const compounds = pgTable(
  'compounds',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    code: varchar('code', { length: 15 }).notNull(),
    name: text('name').notNull(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    gridId: bigint('grid_id', { mode: 'number' })
      .notNull()
      .references(() => grids.id),
    path: text('path').notNull(),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('compounds_code_uq').on(t.code),
    uniqueIndex('compounds_community_name_uq').on(t.communityCode, t.name),
    index('compounds_path_idx').using('btree', t.path.op('text_pattern_ops')),
    index('compounds_grid_idx').on(t.gridId),
  ],
);

/** 楼栋 */
export const buildings = pgTable(
  'buildings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    compoundId: bigint('compound_id', { mode: 'number' })
      .notNull()
      .references(() => compounds.id),
    name: text('name').notNull(),
    units: smallint('units').notNull().default(1),
    floors: smallint('floors').notNull().default(6),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    /** Path of the compound it stands in. */
    path: text('path').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('buildings_compound_name_uq').on(t.compoundId, t.name),
    index('buildings_path_idx').using('btree', t.path.op('text_pattern_ops')),
    check('buildings_units_chk', sql`${t.units} between 1 and 50`),
    check('buildings_floors_chk', sql`${t.floors} between 1 and 200`),
  ],
);

/** 户 */
export const households = pgTable(
  'households',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    buildingId: bigint('building_id', { mode: 'number' })
      .notNull()
      .references(() => buildings.id),
    unit: smallint('unit').notNull().default(1),
    room: varchar('room', { length: 16 }).notNull(),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    path: text('path').notNull(),
  },
  (t) => [
    uniqueIndex('households_building_unit_room_uq').on(t.buildingId, t.unit, t.room),
    index('households_path_idx').using('btree', t.path.op('text_pattern_ops')),
  ],
);

/** 职能部门: district offices and utilities that must answer a whistle. Jurisdiction is a region. */
export const departments = pgTable(
  'departments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    type: varchar('type', { length: 40 }).notNull(),
    regionCode: varchar('region_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    path: text('path').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('departments_region_name_uq').on(t.regionCode, t.name),
    index('departments_path_idx').using('btree', t.path.op('text_pattern_ops')),
  ],
);
