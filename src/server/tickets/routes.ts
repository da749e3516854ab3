import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem, page } from '../../contracts/common.ts';
import {
  CalendarOverrideBody,
  CalendarYear,
  ItemSuggestion,
  NoticePage,
  NoticeRead,
  ResponsibilityListDoc,
  ResponsibilityListSummary,
  ResponsibilityListView,
  ResponsibilityPublishResult,
  SimilarQuery,
  SimilarTicket,
  SuggestBody,
  TicketActionBody,
  TicketCreate,
  TicketListQuery,
  TicketSummary,
  TicketView,
  TransferTarget,
  TransferTargetQuery,
} from '../../contracts/tickets.ts';
import { readMultipartImages } from '../core/files.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import * as responsibility from './responsibility.ts';
import * as tickets from './service.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function ticketRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['tickets'];

  r.get(
    '/api/v1/responsibility/items',
    {
      schema: {
        tags,
        summary:
          'The current responsibility list (属地管理事项责任清单): categories, items, handlers, limits',
        response: { 200: ResponsibilityListView, ...errs },
      },
    },
    async (req) => tickets.currentItems(authedCtx(req, deps)),
  );

  r.get(
    '/api/v1/responsibility/lists',
    {
      schema: {
        tags,
        summary: 'Every published version of the responsibility list, newest first (staff)',
        response: { 200: z.array(ResponsibilityListSummary), ...errs },
      },
    },
    async (req) => responsibility.listVersions(authedCtx(req, deps)),
  );

  r.get(
    '/api/v1/responsibility/lists/:version',
    {
      schema: {
        tags,
        summary: 'One version as a document (JSON), to edit and publish as a new version (staff)',
        params: z.object({ version: z.string().max(20) }),
        response: { 200: ResponsibilityListDoc, ...errs },
      },
    },
    async (req) => responsibility.exportList(authedCtx(req, deps), req.params.version),
  );

  r.post(
    '/api/v1/responsibility/lists',
    {
      schema: {
        tags,
        summary: 'Publish a new version of the responsibility list (city administrators)',
        description:
          'The whole list as a document. With `?dryRun=true` it is only checked and compared with the current list. Published versions are never edited; tickets keep the version they were routed under.',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
        body: ResponsibilityListDoc,
        response: { 200: ResponsibilityPublishResult, ...errs },
      },
    },
    async (req) =>
      mutate(req, deps, (ctx) =>
        responsibility.publishList(ctx, req.body, { dryRun: req.query.dryRun === 'true' }),
      ),
  );

  r.post(
    '/api/v1/tickets',
    {
      schema: {
        tags,
        summary: 'Report a problem (resident app) or key one in (hotline, patrol, staff)',
        description:
          'Send an `Idempotency-Key` header (any unique string per report): a retried or double-tapped request returns the ticket created first.',
        headers: z.object({ 'idempotency-key': z.string().min(8).max(80).optional() }),
        body: TicketCreate,
        response: { 200: TicketView, ...errs },
      },
    },
    async (req) => {
      // Not in `mutate`: without photos the ticket is one statement (createTicket opens a
      // transaction when it needs one).
      return tickets.createTicket(authedCtx(req, deps), req.body, req.headers['idempotency-key']);
    },
  );

  r.get(
    '/api/v1/tickets',
    {
      schema: {
        tags,
        summary: 'Tickets: mine, my neighbours’ public ones, or those of my working area / department',
        querystring: TicketListQuery,
        response: { 200: page(TicketSummary), ...errs },
      },
    },
    async (req) => tickets.listTickets(authedCtx(req, deps), req.query),
  );

  r.get(
    '/api/v1/tickets/similar',
    {
      schema: {
        tags,
        summary: 'Open public tickets nearby (same compound or within 200 m) with similar text, for "+1"',
        querystring: SimilarQuery,
        response: { 200: z.array(SimilarTicket), ...errs },
      },
    },
    async (req) => tickets.similarTickets(authedCtx(req, deps), req.query),
  );

  r.post(
    '/api/v1/tickets/suggest',
    {
      schema: {
        tags,
        summary: 'Suggest the responsibility item (and so the department) from a report’s text',
        body: SuggestBody,
        response: { 200: z.array(ItemSuggestion), ...errs },
      },
    },
    async (req) => tickets.suggestItems(authedCtx(req, deps), req.body),
  );

  r.post(
    '/api/v1/tickets/:id/reveal-contact',
    {
      schema: {
        tags,
        summary:
          'The caller’s name and phone unmasked, for the follow-up call (staff on the ticket; audited)',
        params: IdParams,
        response: {
          200: z.object({ contactName: z.string().nullable(), contactPhone: z.string().nullable() }),
          ...errs,
        },
      },
    },
    async (req) => mutate(req, deps, (ctx) => tickets.revealContact(ctx, req.params.id)),
  );

  r.post(
    '/api/v1/tickets/:id/follow',
    {
      schema: {
        tags,
        summary: '"+1": follow an open public ticket (the same problem) instead of reporting it again',
        params: IdParams,
        response: { 200: z.object({ followers: z.number() }), ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => tickets.plusOne(ctx, req.params.id)),
  );

  r.get(
    '/api/v1/tickets/:id/transfer-targets',
    {
      schema: {
        tags,
        summary:
          'Communities this user may transfer the ticket to (neighbours in the township; the whole area for supervisors)',
        params: IdParams,
        querystring: TransferTargetQuery,
        response: { 200: z.array(TransferTarget), ...errs },
      },
    },
    async (req) => tickets.transferTargets(authedCtx(req, deps), req.params.id, req.query.q),
  );

  r.get(
    '/api/v1/tickets/:id',
    {
      schema: {
        tags,
        summary: 'One ticket with its departments, timeline and the moves you may make',
        params: IdParams,
        response: { 200: TicketView, ...errs },
      },
    },
    async (req) => tickets.getTicket(authedCtx(req, deps), req.params.id),
  );

  r.post(
    '/api/v1/tickets/:id/actions',
    {
      schema: {
        tags,
        summary: 'Move a ticket: accept, whistle, check in, resolve, rate …',
        params: IdParams,
        body: TicketActionBody,
        response: { 200: TicketView.nullable(), ...errs },
      },
    },
    async (req) => {
      await mutate(req, deps, (ctx) => tickets.act(ctx, req.params.id, req.body));
      return tickets.ticketAfterMove(authedCtx(req, deps), req.params.id);
    },
  );

  r.post(
    '/api/v1/tickets/photos',
    {
      schema: {
        tags,
        summary: 'Upload 1–9 photos (multipart, field "photos"); returns ids to put in a report or a move',
        description:
          'JPEG, PNG or WebP, at most 10 MB each. Orientation is applied and all metadata (GPS, device) removed before storing; the GPS point, when the photo had one, is returned as a location hint.',
        consumes: ['multipart/form-data'],
        response: {
          200: z.array(
            z.object({
              id: z.number(),
              width: z.number(),
              height: z.number(),
              gps: z.object({ lat: z.number(), lng: z.number() }).nullable(),
            }),
          ),
          413: Problem,
          415: Problem,
          422: Problem,
          ...errs,
        },
      },
    },
    // Not inside a transaction: decoding photos takes up to a second and must not hold the
    // (embedded: only) database connection meanwhile. The insert itself is one statement.
    async (req) => {
      const ctx = authedCtx(req, deps);
      const { files } = await readMultipartImages(req);
      return tickets.uploadPhotos(
        ctx,
        files.map((f) => f.buf),
      );
    },
  );

  r.get(
    '/api/v1/tickets/:id/photos/:fileId',
    {
      schema: {
        tags,
        summary: 'A photo of a ticket or of one of its updates (thumb for the 480 px preview)',
        params: IdParams.extend({ fileId: z.coerce.number().int().positive() }),
        querystring: z.object({ variant: z.enum(['full', 'thumb']).default('full') }),
      },
    },
    async (req, reply) => {
      const file = await tickets.ticketPhoto(
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

  r.get(
    '/api/v1/notices',
    {
      schema: {
        tags,
        summary: 'My notices about tickets I follow, newest first, with the unread count',
        querystring: z.object({
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(30),
        }),
        response: { 200: NoticePage, ...errs },
      },
    },
    async (req) => tickets.listNotices(authedCtx(req, deps), req.query),
  );

  r.post(
    '/api/v1/notices/read',
    {
      schema: {
        tags,
        summary: 'Mark notices read (ids, or "all")',
        body: NoticeRead,
        response: { 200: z.object({ unread: z.number() }), ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => tickets.readNotices(ctx, req.body.ids)),
  );

  const Day = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

  r.get(
    '/api/v1/calendar/:year',
    {
      schema: {
        tags,
        summary: 'Working calendar of a year: admin overrides, and whether official holidays are known',
        params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: CalendarYear, ...errs },
      },
    },
    async (req) => tickets.calendarYear(authedCtx(req, deps), req.params.year),
  );

  r.put(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        tags,
        summary: 'Mark a day a holiday or a (make-up) workday (city administrators)',
        params: Day,
        body: CalendarOverrideBody,
        response: { 200: CalendarYear, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => tickets.setCalendarDay(ctx, req.params.date, req.body)),
  );

  r.delete(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        tags,
        summary: 'Remove an override: the day follows the official calendar again',
        params: Day,
        response: { 200: CalendarYear, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => tickets.setCalendarDay(ctx, req.params.date, null)),
  );
}
