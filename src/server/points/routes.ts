import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem } from '../../contracts/common.ts';
import { EntryResult, PointsEntryCreate, PointsView, StatementQuery } from '../../contracts/points.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from '../party/http.ts';
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
}
