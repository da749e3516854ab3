import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem, page } from '../../contracts/common.ts';
import {
  ColourSchemeBody,
  ColourSchemeView,
  ColourSet,
  ImportResultView,
  ImportSummary,
  LedgerCounts,
  LedgerCountsQuery,
  LedgerMove,
  MemberCreate,
  MemberDetail,
  MemberListQuery,
  MemberPii,
  MemberUpdate,
  MemberView,
  MyParty,
  OrgCreate,
  OrgDissolve,
  OrgMerge,
  OrgTree,
  OrgUpdate,
  OrgView,
  StatusChange,
} from '../../contracts/party.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { partyStaff } from './http.ts';
import * as ledger from './ledger-files.ts';
import * as imports from './ledger-import.ts';
import { buildReport } from './ledger-xlsx.ts';
import * as orgs from './orgs.ts';
import * as party from './service.ts';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function partyRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['party'];
  const { staff, staffWrite } = partyStaff(deps);

  r.get(
    '/api/v1/party/members',
    {
      schema: {
        tags,
        summary: 'Party members in your area (masked), newest first; filter by place, ledger, colour, status',
        querystring: MemberListQuery,
        response: { 200: page(MemberView), ...errs },
      },
    },
    async (req) => party.listMembers(staff(req), req.query),
  );
  r.post(
    '/api/v1/party/members',
    {
      schema: {
        tags,
        summary: 'Add a member to a compound’s ledger (the ID number is validated and stored sealed)',
        body: MemberCreate,
        response: { 200: MemberDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => party.createMember(ctx, req.body)),
  );
  r.get(
    '/api/v1/party/members/:id',
    {
      schema: {
        tags,
        summary: 'A member’s record (masked) and its history',
        params: IdParams,
        response: { 200: MemberDetail, ...errs },
      },
    },
    async (req) => party.getMember(staff(req), req.params.id),
  );
  r.patch(
    '/api/v1/party/members/:id',
    {
      schema: {
        tags,
        summary: 'Correct a member’s record; refused (409) when it changed since `version`',
        params: IdParams,
        body: MemberUpdate,
        response: { 200: MemberDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => party.updateMember(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/members/:id/ledger',
    {
      schema: {
        tags,
        summary: 'Move a member to another ledger, with the reason (mobile: where, contact, certificate)',
        params: IdParams,
        body: LedgerMove,
        response: { 200: MemberDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => party.moveLedger(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/members/:id/status',
    {
      schema: {
        tags,
        summary: 'Record a transfer out, a death or a removal (the record is kept)',
        params: IdParams,
        body: StatusChange,
        response: { 200: MemberDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => party.changeStatus(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/members/:id/colour',
    {
      schema: {
        tags,
        summary: 'Choose a five-colour tag over the scheme’s suggestion (with a reason), or return to it',
        params: IdParams,
        body: ColourSet,
        response: { 200: MemberDetail, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => party.setColour(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/members/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Unmasked name, ID number and phone; the read is recorded in the audit log',
        params: IdParams,
        response: { 200: MemberPii, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => party.revealMember(ctx, req.params.id)),
  );
  r.get(
    '/api/v1/party/ledgers',
    {
      schema: {
        tags,
        summary: 'The four ledgers’ counts per compound, and counts per colour (members with normal status)',
        querystring: LedgerCountsQuery,
        response: { 200: LedgerCounts, ...errs },
      },
    },
    async (req) => party.ledgerCounts(staff(req), req.query),
  );

  const xlsx = (reply: FastifyReply, fileName: string) =>
    reply
      .header('content-type', XLSX_MIME)
      .header(
        'content-disposition',
        `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      )
      .header('cache-control', 'no-store');
  const binary = (description: string) => ({
    200: { description, content: { [XLSX_MIME]: { schema: z.string() } } },
    ...errs,
  });

  r.get(
    '/api/v1/party/members/template.xlsx',
    {
      schema: {
        tags,
        summary: 'The ledger import template (.xlsx): headers, instructions, your compounds and their codes',
        response: binary('The template workbook'),
      },
    },
    async (req, reply) => {
      const ctx = staff(req);
      return xlsx(reply, '党员台账导入模板.xlsx').send(await ledger.template(ctx));
    },
  );
  r.post(
    '/api/v1/party/members/import',
    {
      schema: {
        tags,
        summary:
          'Import a filled template (multipart, field `file`): every row is checked first; any problem rejects the whole file with a report, nothing saved. Known ID numbers are updated. `dryRun=true` checks only.',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
        response: { 200: ImportResultView, ...errs, 413: Problem, 415: Problem },
      },
    },
    async (req) => {
      staff(req);
      const file = await ledger.readUpload(req);
      return mutate(req, deps, (ctx) =>
        imports.importLedger(ctx, file, { dryRun: req.query.dryRun === 'true' }),
      );
    },
  );
  r.get(
    '/api/v1/party/imports',
    {
      schema: {
        tags,
        summary: 'My recent ledger imports',
        response: { 200: z.array(ImportSummary), ...errs },
      },
    },
    async (req) =>
      (await imports.myImports(staff(req))).map((i) => ({
        ...i,
        status: i.status as ImportSummary['status'],
        at: i.at.toISOString(),
      })),
  );
  r.get(
    '/api/v1/party/imports/:id/report.xlsx',
    {
      schema: {
        tags,
        summary: 'The error report of one of my imports: row, column and reason of every problem',
        params: IdParams,
        response: binary('The error report workbook'),
      },
    },
    async (req, reply) => {
      const rec = await imports.importReport(staff(req), req.params.id);
      const name = `导入错误报告-${rec.fileName.replace(/\.xlsx$/i, '')}.xlsx`;
      return xlsx(reply, name).send(await buildReport(rec.problems ?? [], rec.fileName));
    },
  );
  r.get(
    '/api/v1/party/members/export.xlsx',
    {
      schema: {
        tags,
        summary:
          'The filtered list as .xlsx, masked; `full=true` unmasks for those who may (community and above); every export is audited',
        querystring: MemberListQuery.omit({ cursor: true, limit: true }).extend({
          full: z.enum(['true', 'false']).optional(),
        }),
        response: binary('The members workbook'),
      },
    },
    async (req, reply) => {
      const { full, ...q } = req.query;
      const { stream } = await party.exportMembers(staff(req), q, full === 'true');
      return xlsx(reply, `党员台账-${new Date().toISOString().slice(0, 10)}.xlsx`).send(stream);
    },
  );

  r.get(
    '/api/v1/party/colour-schemes/:county',
    {
      schema: {
        tags,
        summary: 'A county’s five-colour scheme (浑源’s when it has not set its own)',
        params: z.object({ county: z.string().regex(/^\d{6}$/) }),
        response: { 200: ColourSchemeView, ...errs },
      },
    },
    async (req) => party.colourScheme(staff(req), req.params.county),
  );
  r.put(
    '/api/v1/party/colour-schemes/:county',
    {
      schema: {
        tags,
        summary: 'Set a county’s scheme: colours in priority order with the rule that suggests each',
        params: z.object({ county: z.string().regex(/^\d{6}$/) }),
        body: ColourSchemeBody,
        response: { 200: ColourSchemeView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => party.setColourScheme(ctx, req.params.county, req.body.entries)),
  );

  r.get(
    '/api/v1/party/orgs',
    {
      schema: {
        tags,
        summary: 'A community’s party organisations, and the compounds no branch covers',
        querystring: z.object({ community: z.string().regex(/^\d{12}$/) }),
        response: { 200: OrgTree, ...errs },
      },
    },
    async (req) => orgs.orgTree(staff(req), req.query.community),
  );
  r.post(
    '/api/v1/party/orgs',
    {
      schema: {
        tags,
        summary: 'Set up an organisation (a branch needs 3 full members in the compounds it covers)',
        body: OrgCreate,
        response: { 200: OrgView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => orgs.createOrg(ctx, req.body)),
  );
  r.patch(
    '/api/v1/party/orgs/:id',
    {
      schema: {
        tags,
        summary: 'Rename an organisation or change the compounds a branch covers',
        params: IdParams,
        body: OrgUpdate,
        response: { 200: OrgView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => orgs.updateOrg(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/orgs/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge into another organisation of the same kind: members, compounds and groups move',
        params: IdParams,
        body: OrgMerge,
        response: { 200: OrgView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => orgs.mergeOrg(ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/v1/party/orgs/:id/dissolve',
    {
      schema: {
        tags,
        summary: 'Dissolve an organisation with no active groups under it; its members are left unassigned',
        params: IdParams,
        body: OrgDissolve,
        response: { 200: OrgView, ...errs },
      },
    },
    async (req) => staffWrite(req, (ctx) => orgs.dissolveOrg(ctx, req.params.id, req.body)),
  );

  r.get(
    '/api/v1/me/party',
    {
      schema: {
        tags,
        summary: 'My party record and my branch (empty when I am not on a ledger)',
        response: { 200: MyParty, 401: Problem },
      },
    },
    // Not a transaction: the record is linked to the account, when at all, by one statement.
    async (req) => party.myParty(authedCtx(req, deps)),
  );
}
