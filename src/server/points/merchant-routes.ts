import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem } from '../../contracts/common.ts';
import {
  ApplicationApprove,
  ApplicationContact,
  ApplicationListQuery,
  ApplicationReject,
  MerchantAdminPage,
  MerchantApplicationCreate,
  MerchantApplicationView,
  MerchantListQuery,
  MerchantStatement,
  MyCounter,
  OfferAdminView,
  OfferStockChange,
  StatementMonthQuery,
} from '../../contracts/points-merchants.ts';
import { hasAnyRole } from '../core/access.ts';
import { AppError } from '../core/errors.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { ORG_ROLES } from '../party/policy.ts';
import * as merchants from './merchants.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * 商家: applications to join (anyone signed in applies; the community decides), the console's
 * merchants and offers (community level and above), the counters one works, monthly statements.
 */
export function merchantRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['points'];
  /** Merchants are approved and overseen by the community and those above it; others are refused first. */
  const org = (req: FastifyRequest) => {
    const ctx = authedCtx(req, deps);
    if (!hasAnyRole(ctx.actor, ORG_ROLES)) throw new AppError('access.forbidden');
    return ctx;
  };
  const orgWrite = <T>(req: FastifyRequest, fn: Parameters<typeof mutate<T>>[2]) => {
    org(req);
    return mutate(req, deps, fn);
  };

  // Applications.
  r.post(
    '/api/v1/me/points/merchant-applications',
    {
      schema: {
        tags,
        summary: 'Apply to join a community as a merchant that takes points (anyone signed in)',
        body: MerchantApplicationCreate,
        response: { 200: MerchantApplicationView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => merchants.applyAsMerchant(ctx, req.body)),
  );
  r.get(
    '/api/v1/me/points/merchant-applications',
    {
      schema: {
        tags,
        summary: 'My applications to join as a merchant and what became of them',
        response: { 200: z.array(MerchantApplicationView), ...errs },
      },
    },
    async (req) => merchants.myApplications(authedCtx(req, deps)),
  );
  r.get(
    '/api/v1/points/merchant-applications',
    {
      schema: {
        tags,
        summary: 'Applications to the communities in your area (contacts masked), by status',
        querystring: ApplicationListQuery,
        response: { 200: z.array(MerchantApplicationView), ...errs },
      },
    },
    async (req) => merchants.listApplications(org(req), req.query),
  );
  r.post(
    '/api/v1/points/merchant-applications/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve: registers the merchant with the applicant (and anyone named) at its counter',
        params: IdParams,
        body: ApplicationApprove,
        response: { 200: MerchantApplicationView, ...errs },
      },
    },
    async (req) => orgWrite(req, (ctx) => merchants.approveApplication(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/points/merchant-applications/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject, with the reason the applicant sees',
        params: IdParams,
        body: ApplicationReject,
        response: { 200: MerchantApplicationView, ...errs },
      },
    },
    async (req) => orgWrite(req, (ctx) => merchants.rejectApplication(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/points/merchant-applications/:id/reveal',
    {
      schema: {
        tags,
        summary: 'The contact’s name and phone unmasked (audited)',
        params: IdParams,
        response: { 200: ApplicationContact, ...errs },
      },
    },
    async (req) => orgWrite(req, (ctx) => merchants.revealApplicationContact(ctx, req.params.id)),
  );

  // Merchants and offers.
  r.get(
    '/api/v1/points/merchants',
    {
      schema: {
        tags,
        summary:
          'Merchants in your area, newest first, with their offers (stock left, redeemed), counter staff (masked) and balance',
        querystring: MerchantListQuery,
        response: { 200: MerchantAdminPage, ...errs },
      },
    },
    async (req) => merchants.listMerchants(org(req), req.query),
  );
  r.post(
    '/api/v1/points/offers/:id/stock',
    {
      schema: {
        tags,
        summary: 'Add stock to an offer or take some away (never below zero)',
        params: IdParams,
        body: OfferStockChange,
        response: { 200: OfferAdminView, ...errs },
      },
    },
    async (req) =>
      mutate(req, deps, (ctx) => merchants.changeStock(ctx, req.params.id, req.body.change), { retry: true }),
  );
  r.post(
    '/api/v1/points/offers/:id/close',
    {
      schema: {
        tags,
        summary: 'End an offer early: nobody can redeem it from today (vouchers issued stay good)',
        params: IdParams,
        response: { 200: OfferAdminView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => merchants.closeOffer(ctx, req.params.id), { retry: true }),
  );
  r.get(
    '/api/v1/merchant/counters',
    {
      schema: {
        tags,
        summary: 'The merchants whose counter I work',
        response: { 200: z.array(MyCounter), ...errs },
      },
    },
    async (req) => merchants.myCounters(authedCtx(req, deps)),
  );

  // Statements.
  r.get(
    '/api/v1/points/merchants/:id/statement',
    {
      schema: {
        tags,
        summary:
          'A merchant’s month: vouchers checked in (member masked), totals and its account balance (its counter staff, its community and above)',
        params: IdParams,
        querystring: StatementMonthQuery,
        response: { 200: MerchantStatement, ...errs },
      },
    },
    async (req) => merchants.merchantStatement(authedCtx(req, deps), req.params.id, req.query.month),
  );
  r.get(
    '/api/v1/points/merchants/:id/statement.xlsx',
    {
      schema: {
        tags,
        summary: 'The same statement as .xlsx (audited)',
        params: IdParams,
        querystring: StatementMonthQuery,
        response: {
          200: { description: 'The workbook', content: { [XLSX_MIME]: { schema: z.string() } } },
          ...errs,
        },
      },
    },
    async (req, reply) => {
      const { merchantName, month, body } = await mutate(req, deps, (ctx) =>
        merchants.statementWorkbook(ctx, req.params.id, req.query.month),
      );
      return (reply as FastifyReply)
        .header('content-type', XLSX_MIME)
        .header(
          'content-disposition',
          `attachment; filename="statement-${month}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${merchantName}-对账单-${month}.xlsx`)}`,
        )
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
