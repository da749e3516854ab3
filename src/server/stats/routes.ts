import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Problem } from '../../contracts/common.ts';
import { RatesQuery, RatesResult } from '../../contracts/stats.ts';
import { authedCtx, type CtxDeps } from '../core/http.ts';
import * as stats from './service.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

/** 统计: figures defined once (contracts/stats.ts, stats/rates.ts), for region-level administrators. */
export function statsRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['stats'];

  r.get(
    '/api/v1/stats/rates',
    {
      schema: {
        tags,
        summary:
          'Response, resolution and satisfaction rates of tickets in a region for a period of Shanghai calendar days, with numerators and denominators, optionally by county, township or community',
        querystring: RatesQuery,
        response: { 200: RatesResult, ...errs },
      },
    },
    async (req) => stats.rates(authedCtx(req, deps), req.query),
  );
}
