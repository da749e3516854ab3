import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem, page } from '../../contracts/common.ts';
import {
  CountyParams,
  DeclarationCreate,
  DeclarationDecide,
  DeclarationListQuery,
  DeclarationView,
  MAX_DECLARATION_PHOTOS,
  MyDeclarations,
  RulesBody,
  RulesView,
} from '../../contracts/points-rules.ts';
import { readMultipartImages } from '../core/files.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from '../party/http.ts';
import * as declarations from './declarations.ts';
import * as rules from './rules.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** 积分规则 per county, and 自主申报: members declare, party staff of their place decide. */
export function pointsRulesRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['points'];
  const { staff, staffWrite } = partyStaff(deps);

  r.get(
    '/api/v1/points/rules/:county',
    {
      schema: {
        tags,
        summary: 'A county’s earning rules for every source (the defaults where it has set none)',
        params: CountyParams,
        response: { 200: RulesView, ...errs },
      },
    },
    async (req) => rules.countyRules(staff(req), req.params.county),
  );
  r.put(
    '/api/v1/points/rules/:county',
    {
      schema: {
        tags,
        summary:
          'Set a county’s rules, every source once: points per hour or entry, the most per entry, whether members may declare it (county and city administrators)',
        params: CountyParams,
        body: RulesBody,
        response: { 200: RulesView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => rules.setCountyRules(ctx, req.params.county, req.body)),
  );

  r.get(
    '/api/v1/me/points/declarations',
    {
      schema: {
        tags,
        summary: 'My declarations (自主申报), newest first, and the sources I may declare with their caps',
        response: { 200: MyDeclarations, ...errs },
      },
    },
    async (req) => declarations.myDeclarations(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/me/points/declarations/photos',
    {
      schema: {
        tags,
        summary: `Upload 1–${MAX_DECLARATION_PHOTOS} photos as evidence (multipart, field "photos"); returns ids to put in the declaration`,
        description:
          'JPEG, PNG or WebP, at most 10 MB each; metadata (GPS, device) is removed before storing. Party members only.',
        consumes: ['multipart/form-data'],
        response: {
          200: z.array(z.object({ id: z.number(), width: z.number(), height: z.number() })),
          413: Problem,
          415: Problem,
          ...errs,
        },
      },
    },
    // Members only, checked before the body is read; not in a transaction (decoding takes time).
    async (req) => {
      const ctx = authedCtx(req, deps);
      await declarations.assertMayDeclare(ctx);
      const { files } = await readMultipartImages(req, { maxFiles: MAX_DECLARATION_PHOTOS });
      return declarations.uploadPhotos(
        ctx,
        files.map((f) => f.buf),
      );
    },
  );
  r.post(
    '/api/v1/me/points/declarations',
    {
      schema: {
        tags,
        summary:
          'Declare what I did for points: a declarable source, a description, evidence, photos, points asked (at most the county’s cap); it waits for approval',
        body: DeclarationCreate,
        response: { 200: DeclarationView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => declarations.declare(ctx, req.body)),
  );
  r.get(
    '/api/v1/points/declarations',
    {
      schema: {
        tags,
        summary: 'Declarations of members in my area, by status (pending by default), newest first',
        querystring: DeclarationListQuery,
        response: { 200: page(DeclarationView), ...errs },
      },
    },
    async (req) => declarations.listDeclarations(staff(req), req.query),
  );
  r.post(
    '/api/v1/points/declarations/:id/decide',
    {
      schema: {
        tags,
        summary:
          'Approve a declaration (the points posted once from the community, possibly fewer than asked with a reason) or reject it with a reason',
        params: IdParams,
        body: DeclarationDecide,
        response: { 200: DeclarationView, ...errs },
      },
    },
    async (req) => {
      staff(req);
      return mutate(req, deps, (ctx) => declarations.decide(ctx, req.params.id, req.body), { retry: true });
    },
  );
  r.get(
    '/api/v1/points/declarations/:id/photos/:fileId',
    {
      schema: {
        tags,
        summary: 'A photo of a declaration (thumb for the 480 px preview), for its member and party staff',
        params: IdParams.extend({ fileId: z.coerce.number().int().positive() }),
        querystring: z.object({ variant: z.enum(['full', 'thumb']).default('full') }),
      },
    },
    async (req, reply) => {
      const file = await declarations.declarationPhoto(
        authedCtx(req, deps),
        req.params.id,
        req.params.fileId,
        req.query.variant,
      );
      reply.header('content-type', file.mime);
      reply.header('etag', `"${file.sha256}"`);
      reply.header('cache-control', 'private, max-age=86400');
      return reply.send(file.data);
    },
  );
}
