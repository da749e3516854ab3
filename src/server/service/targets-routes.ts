import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Ok, Problem, page, RegionCode } from '../../contracts/common.ts';
import {
  CertificateIssue,
  CertificateListQuery,
  CertificatePreview,
  CertificatePreviewQuery,
  CertificateRevoke,
  CertificateView,
  CountyTargets,
  MyProgress,
  NumberParams,
  ProgressListQuery,
  ProgressRow,
  ProgressSummary,
  PublicCertificate,
  TargetParams,
  TargetPut,
  TargetsQuery,
  UnitProgress,
  Year,
} from '../../contracts/service-targets.ts';
import { authedCtx, type CtxDeps, ctxOf, mutate } from '../core/http.ts';
import { partyStaff } from '../party/http.ts';
import * as certificates from './certificates.ts';
import * as targets from './targets.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PDF_MIME = 'application/pdf';
const YearQuery = z.object({ year: Year.optional() });

const file = (mime: string, description: string) => ({
  200: { description, content: { [mime]: { schema: z.string() } } },
  ...errs,
});

function attach(reply: FastifyReply, mime: string, ascii: string, name: string, inline = false) {
  return reply
    .header('content-type', mime)
    .header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .header('cache-control', 'no-store');
}

/** Where a certificate can be checked, on the host the request came to. */
const verifyUrl = (req: FastifyRequest, number: string) => `${req.protocol}://${req.host}/m/verify/${number}`;

/** 年度服务目标, progress and the lists of those behind, reminders, and 志愿服务证明. */
export function serviceTargetRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['service'];
  const { staff, staffWrite } = partyStaff(deps);

  // Targets ------------------------------------------------------------------------------------
  r.get(
    '/api/v1/service/targets',
    {
      schema: {
        tags,
        summary:
          'Annual service targets of the counties you do party work in, per group (in-service cadres fall back to the default 4 times / 20 hours)',
        querystring: TargetsQuery,
        response: { 200: z.array(CountyTargets), ...errs },
      },
    },
    async (req) => targets.listTargets(staff(req), req.query),
  );
  r.put(
    '/api/v1/service/targets/:county/:year/:group',
    {
      schema: {
        tags,
        summary:
          'Set a county’s target for a year and group: minimum times, hours, reminder dates (county and city)',
        params: TargetParams,
        body: TargetPut,
        response: { 200: CountyTargets, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => targets.putTarget(ctx, req.params, req.body)),
  );
  r.delete(
    '/api/v1/service/targets/:county/:year/:group',
    {
      schema: {
        tags,
        summary:
          'Remove a county’s target for a group (cadres then use the default); refused once reminders were sent under it',
        params: TargetParams,
        response: { 200: CountyTargets, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => targets.deleteTarget(ctx, req.params)),
  );

  // Progress -----------------------------------------------------------------------------------
  r.get(
    '/api/v1/service/progress',
    {
      schema: {
        tags,
        summary:
          'Members of your area with a target and their progress this year (names masked): those behind by default',
        querystring: ProgressListQuery,
        response: { 200: page(ProgressRow), ...errs },
      },
    },
    async (req) => targets.listProgress(staff(req), req.query),
  );
  r.get(
    '/api/v1/service/progress/summary',
    {
      schema: {
        tags,
        summary: 'Per community: members with a target, met, on track, behind',
        querystring: z.object({
          year: Year.optional(),
          region: RegionCode.optional(),
          compoundId: z.coerce.number().int().positive().optional(),
        }),
        response: { 200: ProgressSummary, ...errs },
      },
    },
    async (req) => targets.progressSummary(staff(req), req.query),
  );
  r.get(
    '/api/v1/service/progress.xlsx',
    {
      schema: {
        tags,
        summary: 'The same list as .xlsx (masked as on screen); every export is audited',
        querystring: ProgressListQuery.omit({ cursor: true, limit: true }),
        response: file(XLSX_MIME, 'The workbook'),
      },
    },
    async (req, reply) => {
      const ctx = staff(req);
      const stream = await targets.progressWorkbook(ctx, req.query);
      const year = req.query.year ?? Number(targets.todayOf(ctx.clock).slice(0, 4));
      return attach(reply, XLSX_MIME, 'service-progress.xlsx', `志愿服务进度-${year}.xlsx`).send(stream);
    },
  );
  r.get(
    '/api/v1/service/units/:id/progress',
    {
      schema: {
        tags,
        summary:
          'A co-building unit’s staff and their service progress (the report for employers): for its administrators, and party staff where it is registered',
        params: IdParams,
        querystring: YearQuery,
        response: { 200: UnitProgress, ...errs },
      },
    },
    async (req) => targets.unitProgress(authedCtx(req, deps), req.params.id, req.query),
  );
  r.get(
    '/api/v1/service/units/:id/progress.xlsx',
    {
      schema: {
        tags,
        summary: 'The unit report as .xlsx (masked as on screen)',
        params: IdParams,
        querystring: YearQuery,
        response: file(XLSX_MIME, 'The workbook'),
      },
    },
    async (req, reply) => {
      const { unitName, year, body } = await targets.unitProgressWorkbook(
        authedCtx(req, deps),
        req.params.id,
        req.query,
      );
      return attach(reply, XLSX_MIME, 'unit-service.xlsx', `${unitName}-${year}年志愿服务情况.xlsx`).send(
        body,
      );
    },
  );

  // The member's own ---------------------------------------------------------------------------
  r.get(
    '/api/v1/me/service/progress',
    {
      schema: {
        tags,
        summary:
          'My service this year against my target: times, hours, what is missing, my latest approved records and unread reminders',
        querystring: YearQuery,
        response: { 200: MyProgress, 401: Problem, 400: Problem },
      },
    },
    async (req) => targets.myProgress(authedCtx(req, deps), req.query),
  );
  r.post(
    '/api/v1/me/service/reminders/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of my reminders read',
        params: IdParams,
        response: { 200: Ok, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => targets.readReminder(ctx, req.params.id)),
  );
  r.get(
    '/api/v1/me/service/certificates',
    {
      schema: {
        tags,
        summary: 'My service certificates, newest first',
        response: { 200: z.array(CertificateView), 401: Problem },
      },
    },
    async (req) => certificates.myCertificates(authedCtx(req, deps)),
  );
  r.get(
    '/api/v1/me/service/certificates/:id/pdf',
    {
      schema: {
        tags,
        summary: 'One of my certificates as a PDF',
        params: IdParams,
        response: file(PDF_MIME, 'The certificate'),
      },
    },
    async (req, reply) => {
      const c = await certificates.certificateFor(authedCtx(req, deps), req.params.id, 'own');
      const pdf = await certificates.certificatePdf(c, verifyUrl(req, c.number));
      return attach(reply, PDF_MIME, `${c.number}.pdf`, `志愿服务证明-${c.number}.pdf`, true).send(pdf);
    },
  );

  // Certificates (staff) -----------------------------------------------------------------------
  r.get(
    '/api/v1/service/certificates',
    {
      schema: {
        tags,
        summary: 'Service certificates issued to members of your area, newest first',
        querystring: CertificateListQuery,
        response: { 200: page(CertificateView), ...errs },
      },
    },
    async (req) => certificates.listCertificates(staff(req), req.query),
  );
  r.get(
    '/api/v1/service/certificates/preview',
    {
      schema: {
        tags,
        summary:
          'What a certificate for this member and period would say (times, hours, activities), before issuing it',
        querystring: CertificatePreviewQuery,
        response: { 200: CertificatePreview, ...errs },
      },
    },
    async (req) => certificates.previewCertificate(staff(req), req.query),
  );
  r.post(
    '/api/v1/service/certificates',
    {
      schema: {
        tags,
        summary:
          'Issue a member a certificate of their verified service over a period (community level and above); what it says is frozen',
        body: CertificateIssue,
        response: { 200: CertificateView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => certificates.issueCertificate(ctx, req.body)),
  );
  r.get(
    '/api/v1/service/certificates/:id/pdf',
    {
      schema: {
        tags,
        summary: 'A certificate as a PDF (revoked ones are marked 已作废)',
        params: IdParams,
        response: file(PDF_MIME, 'The certificate'),
      },
    },
    async (req, reply) => {
      const c = await certificates.certificateFor(staff(req), req.params.id, 'staff');
      const pdf = await certificates.certificatePdf(c, verifyUrl(req, c.number));
      return attach(reply, PDF_MIME, `${c.number}.pdf`, `志愿服务证明-${c.number}.pdf`).send(pdf);
    },
  );
  r.post(
    '/api/v1/service/certificates/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a certificate, with the reason (community level and above over it)',
        params: IdParams,
        body: CertificateRevoke,
        response: { 200: CertificateView, ...errs },
      },
    },
    async (req) =>
      staffWrite(req, (ctx) => certificates.revokeCertificate(ctx, req.params.id, req.body.reason)),
  );

  // Public -------------------------------------------------------------------------------------
  r.get(
    '/api/v1/public/service/certificates/:number',
    {
      schema: {
        tags,
        security: [],
        summary:
          'Check a certificate by its number (no login; rate-limited): masked name, times, hours, period, issuer, date, valid or revoked',
        params: NumberParams,
        response: { 200: PublicCertificate, 400: Problem, 404: Problem, 429: Problem },
      },
    },
    async (req) => certificates.publicCertificate(ctxOf(req, deps), req.params.number),
  );
}
