import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CursorQuery, IdParams, Problem, page } from '../../contracts/common.ts';
import {
  Attendance,
  HourCodesCreate,
  HourCodeView,
  MyClaim,
  PostCreate,
  PostListQuery,
  PostView,
  ProblemsSolved,
  QrQuery,
  QrView,
  RecordDetail,
  RecordEntry,
  RecordListQuery,
  RecordView,
  Roster,
  SlotCancel,
  SlotCreate,
  Verify,
} from '../../contracts/service.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from '../party/http.ts';
import * as attendance from './attendance.ts';
import * as posts from './posts.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** 志愿服务: posts and slots for organisers, claims and attendance for members, verification. */
export function serviceRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['service'];
  const { staff, staffWrite } = partyStaff(deps);

  // Organisers ------------------------------------------------------------------------------------
  r.post(
    '/api/v1/service/posts',
    {
      schema: {
        tags,
        summary: 'Publish a service post with its time slots (community or compound)',
        body: PostCreate,
        response: { 200: PostView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => posts.createPost(ctx, req.body)),
  );
  r.get(
    '/api/v1/service/posts',
    {
      schema: {
        tags,
        summary: 'Posts in my places, newest first',
        querystring: PostListQuery,
        response: { 200: page(PostView), ...errs },
      },
    },
    async (req) => posts.listPosts(staff(req), req.query),
  );
  r.get(
    '/api/v1/service/posts/:id',
    {
      schema: {
        tags,
        summary: 'A post with its slots',
        params: IdParams,
        response: { 200: PostView, ...errs },
      },
    },
    async (req) => posts.getPost(staff(req), req.params.id),
  );
  r.post(
    '/api/v1/service/posts/:id/slots',
    {
      schema: {
        tags,
        summary: 'Add time slots to a post',
        params: IdParams,
        body: z.object({ slots: z.array(SlotCreate).min(1).max(50) }),
        response: { 200: PostView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => posts.addSlots(ctx, req.params.id, req.body.slots)),
  );
  r.post(
    '/api/v1/service/posts/:id/close',
    {
      schema: {
        tags,
        summary: 'Stop taking claims on a post',
        params: IdParams,
        response: { 200: PostView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => posts.closePost(ctx, req.params.id)),
  );
  r.post(
    '/api/v1/service/slots/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Call a slot off: its claims are cancelled, records already made stay',
        params: IdParams,
        body: SlotCancel,
        response: { 200: PostView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => posts.cancelSlot(ctx, req.params.id, req.body.reason)),
  );
  r.get(
    '/api/v1/service/slots/:id/roster',
    {
      schema: {
        tags,
        summary: 'Who holds a place, who waits, and who has checked in or out',
        params: IdParams,
        response: { 200: Roster, ...errs },
      },
    },
    async (req) => attendance.roster(staff(req), req.params.id),
  );
  r.get(
    '/api/v1/service/slots/:id/qr',
    {
      schema: {
        tags,
        summary: 'The check-in (or check-out) code the organiser’s screen shows now; it rotates',
        params: IdParams,
        querystring: QrQuery,
        response: { 200: QrView, ...errs },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return attendance.currentQr(staff(req), req.params.id, req.query.phase);
    },
  );
  r.post(
    '/api/v1/service/slots/:id/codes',
    {
      schema: {
        tags,
        summary: 'Print single-use hour codes for a slot',
        params: IdParams,
        body: HourCodesCreate,
        response: { 200: z.array(HourCodeView), ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => attendance.createHourCodes(ctx, req.params.id, req.body.count)),
  );
  r.get(
    '/api/v1/service/slots/:id/codes',
    {
      schema: {
        tags,
        summary: 'A slot’s hour codes and which are used',
        params: IdParams,
        response: { 200: z.array(HourCodeView), ...errs },
      },
    },
    async (req) => attendance.hourCodes(staff(req), req.params.id),
  );
  r.post(
    '/api/v1/service/slots/:id/records',
    {
      schema: {
        tags,
        summary: 'Enter a member’s attendance on a slot (organiser)',
        params: IdParams,
        body: RecordEntry,
        response: { 200: RecordView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => attendance.enterRecord(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/service/records',
    {
      schema: {
        tags,
        summary: 'Service records in my places (status=pending: the verification queue)',
        querystring: RecordListQuery,
        response: { 200: page(RecordView), ...errs },
      },
    },
    async (req) => attendance.listRecords(staff(req), req.query),
  );
  r.get(
    '/api/v1/service/records/:id',
    {
      schema: {
        tags,
        summary: 'A service record with its history',
        params: IdParams,
        response: { 200: RecordDetail, ...errs },
      },
    },
    async (req) => attendance.recordDetail(staff(req), req.params.id),
  );
  r.post(
    '/api/v1/service/records/:id/verify',
    {
      schema: {
        tags,
        summary: 'Approve, adjust (with a reason) or decline a record; points follow',
        params: IdParams,
        body: Verify,
        response: { 200: RecordView, ...errs },
      },
    },
    async (req) => {
      staff(req);
      return mutate(req, deps, (ctx) => attendance.verify(ctx, req.params.id, req.body), { retry: true });
    },
  );
  r.post(
    '/api/v1/service/records/:id/problems',
    {
      schema: {
        tags,
        summary: 'Note problems solved for residents on a record (optionally the ticket)',
        params: IdParams,
        body: ProblemsSolved,
        response: { 200: RecordView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => attendance.recordProblemsByStaff(ctx, req.params.id, req.body)),
  );

  // Members ---------------------------------------------------------------------------------------
  r.get(
    '/api/v1/me/service/posts',
    {
      schema: {
        tags,
        summary: 'Open posts of my community: my compound’s and my skills’ first',
        response: { 200: z.array(PostView), ...errs },
      },
    },
    async (req) => posts.postsForMe(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/me/service/slots/:id/claim',
    {
      schema: {
        tags,
        summary: 'Claim a place on a slot, or wait in line when it is full',
        params: IdParams,
        response: { 200: PostView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => posts.claim(ctx, req.params.id)),
  );
  r.post(
    '/api/v1/me/service/claims/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Give a claim back (a place only before the post’s deadline)',
        params: IdParams,
        response: { 200: PostView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => posts.cancelClaim(ctx, req.params.id)),
  );
  r.get(
    '/api/v1/me/service/claims',
    {
      schema: {
        tags,
        summary: 'My claims, soonest first, with my attendance',
        response: { 200: z.array(MyClaim), ...errs },
      },
    },
    async (req) => attendance.myClaims(authedCtx(req, deps)),
  );
  r.post(
    '/api/v1/me/service/attendance',
    {
      schema: {
        tags,
        summary: 'Check in or out: the scanned QR, its six digits, or a printed hour code',
        body: Attendance,
        response: { 200: RecordView, ...errs },
      },
    },
    // A scan is two statements, each atomic on its own (attendance.ts); a printed code needs a transaction.
    async (req) =>
      'code' in req.body
        ? mutate(req, deps, (ctx) => attendance.attend(ctx, req.body))
        : attendance.attend(authedCtx(req, deps), req.body),
  );
  r.get(
    '/api/v1/me/service/records',
    {
      schema: {
        tags,
        summary: 'My service records, newest first',
        querystring: CursorQuery,
        response: { 200: page(RecordView), ...errs },
      },
    },
    async (req) => attendance.myRecords(authedCtx(req, deps), req.query),
  );
  r.post(
    '/api/v1/me/service/records/:id/problems',
    {
      schema: {
        tags,
        summary: 'Note what I solved for residents on my record (optionally the ticket)',
        params: IdParams,
        body: ProblemsSolved,
        response: { 200: RecordView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => attendance.recordProblems(ctx, req.params.id, req.body)),
  );
}
