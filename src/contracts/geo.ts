import { z } from 'zod';
import { RegionCode } from './common.ts';

export const RegionLevel = z.enum(['city', 'county', 'township', 'community']);

export const RegionNode = z.object({
  code: z.string(),
  name: z.string(),
  officialName: z.string(),
  level: RegionLevel,
  kind: z.string().nullable(),
  parentCode: z.string().nullable(),
  path: z.string(),
  /** Children exist below (regions, or grids/compounds for a community). */
  hasChildren: z.boolean(),
  compoundCount: z.number(),
});
export type RegionNode = z.infer<typeof RegionNode>;

export const RegionChildrenQuery = z.object({ parent: RegionCode.optional() });

export const RegionSearchQuery = z.object({ q: z.string().trim().min(1).max(40) });

export const GridView = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  communityCode: z.string(),
  workerUserId: z.number().nullable(),
  workerName: z.string().nullable(),
  compoundCount: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type GridView = z.infer<typeof GridView>;

export const GridCreate = z.object({
  communityCode: RegionCode,
  name: z.string().trim().min(1).max(40),
});
export const GridUpdate = z.object({
  name: z.string().trim().min(1).max(40).optional(),
  workerUserId: z.number().int().positive().nullable().optional(),
});

export const CompoundView = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  communityCode: z.string(),
  communityName: z.string(),
  regionLabel: z.string(),
  gridId: z.number(),
  gridName: z.string(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  buildingCount: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean(), addBuilding: z.boolean() }),
});
export type CompoundView = z.infer<typeof CompoundView>;

export const CompoundListQuery = z.object({
  region: RegionCode.optional(),
  gridId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(40).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const CompoundCreate = z.object({
  communityCode: RegionCode,
  name: z.string().trim().min(2).max(60),
  gridId: z.number().int().positive(),
  address: z.string().trim().max(200).optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});
export type CompoundCreate = z.infer<typeof CompoundCreate>;

export const CompoundUpdate = CompoundCreate.omit({ communityCode: true }).partial();

export const BuildingView = z.object({
  id: z.number(),
  compoundId: z.number(),
  name: z.string(),
  units: z.number(),
  floors: z.number(),
  householdCount: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type BuildingView = z.infer<typeof BuildingView>;

/** 户: a flat in a building (unit and room), e.g. to pick a party-member household. */
export const HouseholdView = z.object({
  id: z.number(),
  buildingId: z.number(),
  unit: z.number(),
  room: z.string(),
});
export type HouseholdView = z.infer<typeof HouseholdView>;

export const BuildingCreate = z.object({
  name: z.string().trim().min(1).max(40),
  units: z.number().int().min(1).max(50).default(1),
  floors: z.number().int().min(1).max(200).default(6),
});
export type BuildingCreate = z.infer<typeof BuildingCreate>;
// No defaults here: in zod 4 a default inside .partial() still fills absent fields, which would
// reset units/floors on a rename.
export const BuildingUpdate = z.object({
  name: z.string().trim().min(1).max(40).optional(),
  units: z.number().int().min(1).max(50).optional(),
  floors: z.number().int().min(1).max(200).optional(),
});

/** A kind of department (城市管理局, 供水公司 …) as the responsibility list names it. */
export const DepartmentTypeView = z.object({
  type: z.string(),
  name: z.string(),
  kind: z.enum(['department', 'utility', 'agency']),
});
export type DepartmentTypeView = z.infer<typeof DepartmentTypeView>;

export const DepartmentView = z.object({
  id: z.number(),
  name: z.string(),
  type: z.string(),
  regionCode: z.string(),
});

/**
 * Places for reporting (随手拍): compound names and buildings are public knowledge, so anyone
 * signed in may search them city-wide; nothing personal is in them.
 */
export const PlaceCompound = z.object({
  id: z.number(),
  name: z.string(),
  communityCode: z.string(),
  /** 平城区 水泊寺街道 文兴社区 */
  regionLabel: z.string(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
export type PlaceCompound = z.infer<typeof PlaceCompound>;
export const PlaceSearchQuery = z.object({
  q: z.string().trim().min(1).max(40).optional(),
  /** Nearest first when given. */
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const PlaceBuilding = z.object({ id: z.number(), name: z.string() });
