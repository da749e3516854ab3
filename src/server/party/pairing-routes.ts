import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem, page, RegionCode } from '../../contracts/common.ts';
import {
  CareClose,
  CareCreate,
  CareDetail,
  CareListQuery,
  CarePii,
  CareSummary,
  CareUpdate,
  CareView,
  MyCareView,
  PairingCreate,
  PairingEnd,
  VisitCreate,
} from '../../contracts/party-pairing.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from './http.ts';
import * as pairing from './pairing.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** 包联: households in difficulty, pairings and visits (staff), and a paired member's own side. */
export function pairingRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['party'];
  const { staff, staffWrite } = partyStaff(deps);

  r.get(
    '/api/v1/party/care',
    {
      schema: {
        tags,
        summary:
          'Households in difficulty in your area (masked), newest first; filter by place, kind, state (unpaired, overdue, …)',
        querystring: CareListQuery,
        response: { 200: page(CareView), ...errs },
      },
    },
    async (req) => pairing.listCare(staff(req), req.query),
  );
  r.get(
    '/api/v1/party/care/summary',
    {
      schema: {
        tags,
        summary: 'Counts of households in care by state, kind and compound',
        querystring: z.object({
          region: RegionCode.optional(),
          compoundId: z.coerce.number().int().positive().optional(),
        }),
        response: { 200: CareSummary, ...errs },
      },
    },
    async (req) => pairing.careSummary(staff(req), req.query),
  );
  r.post(
    '/api/v1/party/care',
    {
      schema: {
        tags,
        summary: 'Mark a household in difficulty, with why and how often it should be visited',
        body: CareCreate,
        response: { 200: CareDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => pairing.createCare(ctx, req.body)),
  );
  r.get(
    '/api/v1/party/care/:id',
    {
      schema: {
        tags,
        summary: 'A household in care: pairings, visits and history',
        params: IdParams,
        response: { 200: CareDetail, ...errs },
      },
    },
    async (req) => pairing.getCare(staff(req), req.params.id),
  );
  r.patch(
    '/api/v1/party/care/:id',
    {
      schema: {
        tags,
        summary: 'Correct a household’s details; refused (409) when it changed since `version`',
        params: IdParams,
        body: CareUpdate,
        response: { 200: CareDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => pairing.updateCare(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/care/:id/close',
    {
      schema: {
        tags,
        summary: 'The household no longer needs care: kept with its visits; its pairings end',
        params: IdParams,
        body: CareClose,
        response: { 200: CareDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => pairing.closeCare(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/care/:id/reveal',
    {
      schema: {
        tags,
        summary: 'The household’s name and phone in full; the read is recorded in the audit log',
        params: IdParams,
        response: { 200: CarePii, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => pairing.revealCare(ctx, req.params.id)),
  );
  r.post(
    '/api/v1/party/care/:id/pairings',
    {
      schema: {
        tags,
        summary: 'Pair a member with the household',
        params: IdParams,
        body: PairingCreate,
        response: { 200: CareDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => pairing.pair(ctx, req.params.id, req.body.memberId)),
  );
  r.post(
    '/api/v1/party/pairings/:id/end',
    {
      schema: {
        tags,
        summary: 'End a pairing, with the reason (kept in the household’s history)',
        params: IdParams,
        body: PairingEnd,
        response: { 200: CareDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => pairing.endPairing(ctx, req.params.id, req.body.reason)),
  );
  r.post(
    '/api/v1/party/care/:id/visits',
    {
      schema: {
        tags,
        summary: 'Record a visit: the recorder’s own, or a paired member’s',
        params: IdParams,
        body: VisitCreate,
        response: { 200: CareDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => pairing.logVisit(ctx, req.params.id, req.body)),
  );

  r.get(
    '/api/v1/me/party/care',
    {
      schema: {
        tags,
        summary: 'The households I am paired with, most urgent first, with my visits',
        response: { 200: z.array(MyCareView), 401: Problem },
      },
    },
    async (req) => pairing.myCare(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/me/party/care/:id/visits',
    {
      schema: {
        tags,
        summary: 'Log my visit to a household I am paired with',
        params: IdParams,
        body: VisitCreate.omit({ memberId: true }),
        response: { 200: MyCareView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => pairing.logMyVisit(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/me/party/care/:id/phone',
    {
      schema: {
        tags,
        summary: 'The phone of a household I am paired with, to call it (audited)',
        params: IdParams,
        response: { 200: z.object({ phone: z.string().nullable() }), ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => pairing.myCarePhone(ctx, req.params.id)),
  );
}
