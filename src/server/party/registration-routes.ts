import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Phone, Problem } from '../../contracts/common.ts';
import {
  REGISTRATION_STATUSES,
  RegistrationCreate,
  RegistrationDecision,
  RegistrationView,
  UnitCreate,
  UnitView,
} from '../../contracts/party.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from './http.ts';
import * as reg from './registration.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const StatusQuery = z.object({ status: z.enum(REGISTRATION_STATUSES).optional() });

/** 双报到: members register from the phone; communities confirm; units and their headcounts. */
export function registrationRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['party'];
  const { staff, staffWrite } = partyStaff(deps);

  r.post(
    '/api/v1/me/party/registrations',
    {
      schema: {
        tags,
        summary: 'Register with the community where I live (in-service members, 双报到)',
        body: RegistrationCreate,
        response: { 200: RegistrationView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => reg.register(ctx, req.body)),
  );
  r.get(
    '/api/v1/me/party/registrations',
    {
      schema: {
        tags,
        summary: 'My registrations and what came of them',
        response: { 200: z.array(RegistrationView), 401: Problem },
      },
    },
    async (req) => reg.myRegistrations(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/me/party/registrations/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw my registration while it waits',
        params: IdParams,
        response: { 200: RegistrationView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => reg.withdraw(ctx, req.params.id)),
  );
  r.get(
    '/api/v1/me/party/units',
    {
      schema: {
        tags,
        summary: 'The co-building units I administer (本单位报到), with registered versus expected staff',
        response: { 200: z.array(UnitView), 401: Problem },
      },
    },
    async (req) => reg.myUnits(authedCtx(req, deps)),
  );
  r.get(
    '/api/v1/party/units/search',
    {
      schema: {
        tags,
        summary: 'Registered units by name, to pick one’s employer in the phone app',
        querystring: z.object({ q: z.string().trim().min(1).max(40) }),
        response: { 200: z.array(z.object({ id: z.number(), name: z.string() })), 401: Problem },
      },
    },
    async (req) => reg.searchUnits(authedCtx(req, deps), req.query.q),
  );

  r.get(
    '/api/v1/party/registrations',
    {
      schema: {
        tags,
        summary: 'Registrations with communities in your area (masked), newest first',
        querystring: StatusQuery,
        response: { 200: z.array(RegistrationView), ...errs },
      },
    },
    async (req) => reg.listRegistrations(staff(req), req.query),
  );
  r.post(
    '/api/v1/party/registrations/:id/decide',
    {
      schema: {
        tags,
        summary: 'Confirm (onto the in-service ledger of their compound) or reject with a reason',
        params: IdParams,
        body: RegistrationDecision,
        response: { 200: RegistrationView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => reg.decide(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/party/units',
    {
      schema: {
        tags,
        summary:
          'Co-building units registered in your area (or that you administer), with registered versus expected staff',
        response: { 200: z.array(UnitView), ...errs },
      },
    },
    async (req) => reg.listUnits(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/party/units',
    {
      schema: {
        tags,
        summary: 'Register a unit with a community: agreement, contact, pledged resources',
        body: UnitCreate,
        response: { 200: UnitView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => reg.registerUnit(ctx, req.body)),
  );
  r.post(
    '/api/v1/party/units/:id/admins',
    {
      schema: {
        tags,
        summary:
          'Make someone (by phone) an administrator of the unit: they see its staff’s registrations in the console (granted the unitAdmin role on the community if they lack it; a phone without an account gets one when `name` is given)',
        params: IdParams,
        body: z.object({ phone: Phone, name: z.string().trim().min(1).max(40).optional() }),
        response: { 200: UnitView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => reg.addUnitAdmin(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/party/units/:id/registrations',
    {
      schema: {
        tags,
        summary:
          'A unit’s staff registrations: for its administrators and party staff where it is registered',
        params: IdParams,
        querystring: StatusQuery,
        response: { 200: z.array(RegistrationView), ...errs },
      },
    },
    async (req) => reg.unitRegistrations(authedCtx(req, deps), req.params.id, req.query),
  );
  r.get(
    '/api/v1/party/units/:id/registrations.xlsx',
    {
      schema: {
        tags,
        summary: 'The same list as .xlsx (masked as on screen)',
        params: IdParams,
        querystring: StatusQuery,
        response: {
          200: { description: 'The workbook', content: { [XLSX_MIME]: { schema: z.string() } } },
          ...errs,
        },
      },
    },
    async (req, reply) => {
      const ctx = authedCtx(req, deps);
      const { unitName, body } = await reg.unitRegistrationsWorkbook(ctx, req.params.id, req.query);
      const day = new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      return (reply as FastifyReply)
        .header('content-type', XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename="registrations.xlsx"; filename*=UTF-8''${encodeURIComponent(`${unitName}-在职党员报到-${day}.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
