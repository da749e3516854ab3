import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem } from '../../contracts/common.ts';
import {
  MyPosting,
  ObjectionCreate,
  ObjectionResolve,
  ObjectionView,
  PostingListQuery,
  PostingQuery,
  PostingSummary,
  PostingView,
} from '../../contracts/points-rules.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from '../party/http.ts';
import * as posting from './posting.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** 季度公示: a member's community's posting and their objections; staff's postings and replies. */
export function pointsPostingRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['points'];
  const { staff } = partyStaff(deps);

  r.get(
    '/api/v1/me/points/posting',
    {
      schema: {
        tags,
        summary:
          'My community’s quarterly posting (the latest, or `postingId`): the ranking (one branch with `orgId`), my line, my objections, earlier quarters',
        querystring: PostingQuery,
        response: { 200: MyPosting, ...errs },
      },
    },
    async (req) => posting.myPosting(authedCtx(req, deps), req.query),
  );
  r.post(
    '/api/v1/me/points/postings/:id/objections',
    {
      schema: {
        tags,
        summary: 'Object to my community’s posting (a line of it, or the whole) while objections are taken',
        params: IdParams,
        body: ObjectionCreate,
        response: { 200: ObjectionView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => posting.object(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/points/postings',
    {
      schema: {
        tags,
        summary:
          'Quarterly postings of the communities in my area, newest quarter first, with objection counts',
        querystring: PostingListQuery,
        response: { 200: z.array(PostingSummary), ...errs },
      },
    },
    async (req) => posting.listPostings(staff(req), req.query),
  );
  r.get(
    '/api/v1/points/postings/:id',
    {
      schema: {
        tags,
        summary: 'A posting: its ranking (one branch with `orgId`) and every objection',
        params: IdParams,
        querystring: PostingQuery.pick({ orgId: true }),
        response: { 200: PostingView, ...errs },
      },
    },
    async (req) => posting.postingDetail(staff(req), req.params.id, req.query),
  );
  r.post(
    '/api/v1/points/objections/:id/resolve',
    {
      schema: {
        tags,
        summary:
          'Uphold or dismiss an objection with a reply (community level and above); the frozen posting is not changed: a correction is a ledger entry',
        params: IdParams,
        body: ObjectionResolve,
        response: { 200: ObjectionView, ...errs },
      },
    },
    async (req) => {
      staff(req);
      return mutate(req, deps, (ctx) => posting.resolveObjection(ctx, req.params.id, req.body));
    },
  );
}
