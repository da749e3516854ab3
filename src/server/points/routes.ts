import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem } from '../../contracts/common.ts';
import {
  EntryResult,
  MerchantCreate,
  MerchantView,
  OfferCreate,
  OfferView,
  PointsEntryCreate,
  PointsView,
  StatementQuery,
  VoucherCheckIn,
  VoucherView,
} from '../../contracts/points.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from '../party/http.ts';
import * as redeem from './redeem.ts';
import * as points from './service.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const Key = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(80)
    .describe('Unique per entry: a retried request with the same key and body posts once'),
});

/** 积分: entries by party staff, a member's account for staff, and my own. */
export function pointsRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['points'];
  const { staff } = partyStaff(deps);

  r.post(
    '/api/v1/points/entries',
    {
      schema: {
        tags,
        summary:
          'Credit a member with points for what they did (source, reason, evidence), or deduct them; the poster approves it',
        headers: Key,
        body: PointsEntryCreate,
        response: { 200: EntryResult, ...errs },
      },
    },
    async (req) => {
      staff(req);
      return mutate(req, deps, (ctx) => points.postEntry(ctx, req.body, req.headers['idempotency-key']), {
        retry: true,
      });
    },
  );
  r.get(
    '/api/v1/party/members/:id/points',
    {
      schema: {
        tags,
        summary: 'A member’s balance and statement, newest first',
        params: IdParams,
        querystring: StatementQuery,
        response: { 200: PointsView, ...errs },
      },
    },
    async (req) => points.memberPoints(staff(req), req.params.id, req.query),
  );
  r.get(
    '/api/v1/me/points',
    {
      schema: {
        tags,
        summary: 'My points: balance and statement (nothing for someone with no party record)',
        querystring: StatementQuery,
        response: { 200: PointsView, 401: Problem },
      },
    },
    async (req) => points.myPoints(authedCtx(req, deps), req.query),
  );

  // Merchants, offers and vouchers.
  r.post(
    '/api/v1/points/merchants',
    {
      schema: {
        tags,
        summary: 'Register a merchant with the community (its approval), with the people at its counter',
        body: MerchantCreate,
        response: { 200: MerchantView, ...errs },
      },
    },
    async (req) => {
      staff(req);
      return mutate(req, deps, (ctx) => redeem.registerMerchant(ctx, req.body));
    },
  );
  r.post(
    '/api/v1/points/merchants/:id/offers',
    {
      schema: {
        tags,
        summary:
          'Publish an offer: points price, stock, per-member limit, validity (merchant staff or its community)',
        params: IdParams,
        body: OfferCreate,
        response: { 200: OfferView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => redeem.createOffer(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/me/points/offers',
    {
      schema: {
        tags,
        summary: 'Offers of my community’s merchants that I can redeem today',
        response: { 200: z.array(OfferView), ...errs },
      },
    },
    async (req) => redeem.availableOffers(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/me/points/offers/:id/redeem',
    {
      schema: {
        tags,
        summary: 'Spend points on a voucher with a one-time code (once per Idempotency-Key)',
        params: IdParams,
        headers: Key,
        response: { 200: VoucherView, ...errs },
      },
    },
    async (req) =>
      mutate(req, deps, (ctx) => redeem.redeem(ctx, req.params.id, req.headers['idempotency-key']), {
        retry: true,
      }),
  );
  r.get(
    '/api/v1/me/points/vouchers',
    {
      schema: {
        tags,
        summary: 'My vouchers, newest first',
        response: { 200: z.array(VoucherView), ...errs },
      },
    },
    async (req) => redeem.myVouchers(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/me/points/vouchers/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Give back an unused voucher: the points return',
        params: IdParams,
        response: { 200: VoucherView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => redeem.cancelVoucher(ctx, req.params.id), { retry: true }),
  );
  r.post(
    '/api/v1/merchant/vouchers/check-in',
    {
      schema: {
        tags,
        summary: 'At the counter: check a voucher in by its code, once (merchant staff)',
        body: VoucherCheckIn,
        response: { 200: VoucherView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => redeem.checkIn(ctx, req.body.code)),
  );
}
