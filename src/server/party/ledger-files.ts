/** The ledger's files over HTTP: the upload to import, the template with the viewer's compounds. */

import { asc, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { scopeWhere } from '../core/access.ts';
import { AppError } from '../core/errors.ts';
import { readMultipartImages } from '../core/files.ts';
import * as geo from '../geo/repo.ts';
import { compounds, regions } from '../geo/tables.ts';
import { buildTemplate } from './ledger-xlsx.ts';
import { memberScopes } from './policy.ts';
import type { Authed } from './service.ts';

/** A city's whole ledger as .xlsx is a few MB; this leaves room and refuses the absurd. */
export const MAX_IMPORT_MB = 30;

/** The one uploaded workbook, checked to be .xlsx by its content (not its name). */
export async function readUpload(req: FastifyRequest): Promise<{ name: string; data: Buffer }> {
  let files: { filename: string; buf: Buffer }[];
  try {
    ({ files } = await readMultipartImages(req, { maxFiles: 1, maxBytes: MAX_IMPORT_MB * 1024 * 1024 }));
  } catch (err) {
    if (err instanceof AppError && (err.code === 'file.too_large' || err.code === 'request.too_large'))
      throw new AppError('import.too_large', { mb: MAX_IMPORT_MB });
    if (err instanceof AppError && err.code === 'file.too_many') throw new AppError('import.no_file');
    throw err;
  }
  const f = files[0];
  if (!f || f.buf.length === 0) throw new AppError('import.no_file');
  // A workbook is a zip; file-type names it xlsx only when [Content_Types].xml comes first, which
  // streamed writers (and some office suites) do not do. Anything else is refused here; a zip that
  // is not a workbook is refused when it is read.
  const type = await fileTypeFromBuffer(f.buf);
  if (type?.ext !== 'xlsx' && type?.ext !== 'zip') throw new AppError('import.not_xlsx');
  return { name: f.filename || 'ledger.xlsx', data: f.buf };
}

export async function template(ctx: Authed): Promise<Buffer> {
  const rows = await ctx.db
    .select({ code: compounds.code, name: compounds.name, community: regions.name, path: regions.path })
    .from(compounds)
    .innerJoin(regions, eq(regions.code, compounds.communityCode))
    .where(scopeWhere(compounds.path, memberScopes(ctx.actor)))
    .orderBy(asc(compounds.code))
    .limit(20_000);
  const labels = await geo.pathLabels(ctx.db, [...new Set(rows.map((r) => r.path))]);
  return buildTemplate(
    rows.map((r) => ({ code: r.code, name: r.name, label: labels.get(r.path) ?? r.community })),
  );
}
