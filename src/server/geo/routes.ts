import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok, Problem, page, RegionCode } from '../../contracts/common.ts';
import {
  BuildingCreate,
  BuildingUpdate,
  BuildingView,
  CompoundCreate,
  CompoundListQuery,
  CompoundUpdate,
  CompoundView,
  DepartmentTypeView,
  DepartmentView,
  GridCreate,
  GridUpdate,
  GridView,
  HouseholdView,
  PlaceBuilding,
  PlaceCompound,
  PlaceSearchQuery,
  RegionChildrenQuery,
  RegionNode,
  RegionSearchQuery,
} from '../../contracts/geo.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import * as geo from './service.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function geoRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['geo'];

  r.get(
    '/api/v1/regions/children',
    {
      schema: {
        tags,
        summary: 'Child regions of a region; without `parent`, the top regions of your scope',
        querystring: RegionChildrenQuery,
        response: { 200: z.array(RegionNode), ...errs },
      },
    },
    async (req) => geo.regionChildren(authedCtx(req, deps), req.query.parent),
  );

  r.get(
    '/api/v1/regions/search',
    {
      schema: {
        tags,
        summary: 'Find regions by name within your scope',
        querystring: RegionSearchQuery,
        response: { 200: z.array(RegionNode), ...errs },
      },
    },
    async (req) => geo.searchRegions(authedCtx(req, deps), req.query.q),
  );

  r.get(
    '/api/v1/regions/:code',
    {
      schema: {
        tags,
        summary: 'One region with its ancestors',
        params: z.object({ code: RegionCode }),
        response: {
          200: RegionNode.extend({ ancestors: z.array(z.object({ code: z.string(), name: z.string() })) }),
          ...errs,
        },
      },
    },
    async (req) => geo.regionDetail(authedCtx(req, deps), req.params.code),
  );

  r.get(
    '/api/v1/grids',
    {
      schema: {
        tags,
        summary: 'Grids of a community',
        querystring: z.object({ community: RegionCode }),
        response: { 200: z.array(GridView), ...errs },
      },
    },
    async (req) => geo.listGrids(authedCtx(req, deps), req.query.community),
  );
  r.post(
    '/api/v1/grids',
    {
      schema: {
        tags,
        summary: 'Create a grid in a community',
        body: GridCreate,
        response: { 200: GridView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => geo.createGrid(ctx, req.body)),
  );
  r.patch(
    '/api/v1/grids/:id',
    {
      schema: {
        tags,
        summary: 'Rename a grid or set its grid worker',
        params: IdParams,
        body: GridUpdate,
        response: { 200: GridView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => geo.updateGrid(ctx, req.params.id, req.body)),
  );
  r.delete(
    '/api/v1/grids/:id',
    { schema: { tags, summary: 'Delete an empty grid', params: IdParams, response: { 200: Ok, ...errs } } },
    async (req) => {
      await mutate(req, deps, (ctx) => geo.deleteGrid(ctx, req.params.id));
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/compounds',
    {
      schema: {
        tags,
        summary: 'Compounds in your scope (cursor-paged)',
        querystring: CompoundListQuery,
        response: { 200: page(CompoundView), ...errs },
      },
    },
    async (req) => geo.listCompounds(authedCtx(req, deps), req.query),
  );
  r.get(
    '/api/v1/compounds/:id',
    { schema: { tags, summary: 'One compound', params: IdParams, response: { 200: CompoundView, ...errs } } },
    async (req) => geo.getCompound(authedCtx(req, deps), req.params.id),
  );
  r.post(
    '/api/v1/compounds',
    {
      schema: {
        tags,
        summary: 'Create a compound in a community',
        body: CompoundCreate,
        response: { 200: CompoundView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => geo.createCompound(ctx, req.body)),
  );
  r.patch(
    '/api/v1/compounds/:id',
    {
      schema: {
        tags,
        summary: 'Update a compound (moving it to another grid moves everything in it)',
        params: IdParams,
        body: CompoundUpdate,
        response: { 200: CompoundView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => geo.updateCompound(ctx, req.params.id, req.body)),
  );
  r.delete(
    '/api/v1/compounds/:id',
    {
      schema: {
        tags,
        summary: 'Delete a compound with no buildings and no people linked',
        params: IdParams,
        response: { 200: Ok, ...errs },
      },
    },
    async (req) => {
      await mutate(req, deps, (ctx) => geo.deleteCompound(ctx, req.params.id));
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/compounds/:id/buildings',
    {
      schema: {
        tags,
        summary: 'Buildings of a compound',
        params: IdParams,
        response: { 200: z.array(BuildingView), ...errs },
      },
    },
    async (req) => geo.listBuildings(authedCtx(req, deps), req.params.id),
  );
  r.post(
    '/api/v1/compounds/:id/buildings',
    {
      schema: {
        tags,
        summary: 'Add a building',
        params: IdParams,
        body: BuildingCreate,
        response: { 200: BuildingView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => geo.createBuilding(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/buildings/:id/households',
    {
      schema: {
        tags,
        summary: 'Households (unit and room) of a building',
        params: IdParams,
        response: { 200: z.array(HouseholdView), ...errs },
      },
    },
    async (req) => geo.listHouseholds(authedCtx(req, deps), req.params.id),
  );
  r.patch(
    '/api/v1/buildings/:id',
    {
      schema: {
        tags,
        summary: 'Update a building',
        params: IdParams,
        body: BuildingUpdate,
        response: { 200: BuildingView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => geo.updateBuilding(ctx, req.params.id, req.body)),
  );
  r.delete(
    '/api/v1/buildings/:id',
    {
      schema: {
        tags,
        summary: 'Delete a building with no households',
        params: IdParams,
        response: { 200: Ok, ...errs },
      },
    },
    async (req) => {
      await mutate(req, deps, (ctx) => geo.deleteBuilding(ctx, req.params.id));
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/departments',
    {
      schema: {
        tags,
        summary: 'Departments whose jurisdiction you can see',
        querystring: z.object({ region: RegionCode.optional() }),
        response: { 200: z.array(DepartmentView), ...errs },
      },
    },
    async (req) => geo.listDepartments(authedCtx(req, deps), req.query.region),
  );

  r.get(
    '/api/v1/departments/types',
    {
      schema: {
        tags,
        summary: 'The kinds of department the responsibility list may name (staff)',
        response: { 200: z.array(DepartmentTypeView), ...errs },
      },
    },
    async (req) => geo.departmentTypes(authedCtx(req, deps)),
  );

  r.get(
    '/api/v1/me/compounds',
    {
      schema: {
        tags,
        summary: 'My compound(s): where I am a resident, member or staff of a compound',
        response: { 200: z.array(CompoundView), 401: Problem },
      },
    },
    async (req) => geo.myCompounds(authedCtx(req, deps)),
  );

  r.get(
    '/api/v1/places/compounds',
    {
      schema: {
        tags,
        summary: 'Find a compound by name, or the nearest ones to a point, to report a problem there',
        querystring: PlaceSearchQuery,
        response: { 200: z.array(PlaceCompound), 401: Problem },
      },
    },
    async (req) => geo.searchPlaces(authedCtx(req, deps), req.query),
  );

  r.get(
    '/api/v1/places/compounds/:id/buildings',
    {
      schema: {
        tags,
        summary: 'Buildings of a compound, by name, to say where a problem is',
        params: IdParams,
        response: { 200: z.array(PlaceBuilding), 401: Problem, 404: Problem },
      },
    },
    async (req) => geo.placeBuildings(authedCtx(req, deps), req.params.id),
  );
}
