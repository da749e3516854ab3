import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Problem } from '../../contracts/common.ts';
import { inTransaction } from '../core/context.ts';
import { AppError, type ErrorCode, errorMessage } from '../core/errors.ts';
import { authedCtx, type CtxDeps, ctxOf, mutate } from '../core/http.ts';
import * as open311 from './service.ts';
import { CONTENT_TYPE, type Format, render } from './xml.ts';

export const OPEN311_PREFIX = '/open311/v2';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

const ClientView = z.object({
  id: z.number(),
  name: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  createdAt: z.string(),
  /** Masked; null when issued from the command line. */
  createdByName: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  can: z.object({ revoke: z.boolean() }),
});

const ClientCreate = z.object({
  name: z.string().trim().min(1).max(60),
  countyCode: z.string().regex(/^\d{6}$/, { message: 'regionCode' }),
});

/**
 * Open311 GeoReport v2 under /open311/v2 (its own errors, formats and form bodies: see the plugin
 * below), and the administrators' API under /api/v1/open311 for the keys of client systems.
 */
export function open311Routes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['open311'];

  r.get(
    '/api/v1/open311/clients',
    {
      schema: {
        tags,
        summary:
          'Open311 client systems of your counties (county and city administrators); keys are never shown',
        response: { 200: z.object({ items: z.array(ClientView) }), ...errs },
      },
    },
    async (req) => open311.listClients(authedCtx(req, deps)),
  );

  r.post(
    '/api/v1/open311/clients',
    {
      schema: {
        tags,
        summary: 'Issue an Open311 api_key for a client system of one county',
        description:
          'The key is in this response only (the server keeps its SHA-256): hand it over now. It may submit service requests to its county (jurisdiction_id) until revoked.',
        body: ClientCreate,
        response: { 200: ClientView.extend({ apiKey: z.string() }), ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => open311.createClient(ctx, req.body)),
  );

  r.post(
    '/api/v1/open311/clients/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke an Open311 api_key at once (revoking again changes nothing)',
        params: IdParams,
        response: { 200: ClientView, ...errs },
      },
    },
    async (req) => mutate(req, deps, (ctx) => open311.revokeClient(ctx, req.params.id)),
  );

  void app.register((api) => georeport(api, deps), { prefix: OPEN311_PREFIX });
}

// GeoReport v2 -----------------------------------------------------------------------------------

/** `.json` or `.xml`; XML, the format the spec requires, when there is no extension. */
function formatOf(ext: string | undefined): Format {
  if (ext === undefined) return 'xml';
  const f = ext.toLowerCase();
  if (f !== 'json' && f !== 'xml') throw new AppError('open311.format_not_supported');
  return f;
}

/** `C01-01.json` → the id and the format; an id without a known extension is XML. */
function splitFile(file: string): { id: string; format: Format } {
  const m = /^(.+)\.(json|xml)$/i.exec(file);
  return m?.[1] && m[2] ? { id: m[1], format: formatOf(m[2]) } : { id: file, format: 'xml' };
}

/** The format an error is sent in: what the URL asked for, else XML. */
function formatOfUrl(url: string): Format {
  return /\.json$/i.test(url.split('?')[0] ?? '') ? 'json' : 'xml';
}

function send(reply: FastifyReply, format: Format, root: string, value: unknown) {
  return reply.type(CONTENT_TYPE[format]).send(render(format, root, value));
}

function sendErrors(
  reply: FastifyReply,
  format: Format,
  status: number,
  code: ErrorCode,
  descriptions: string[],
) {
  return reply
    .code(status)
    .header('x-error-code', code)
    .type(CONTENT_TYPE[format])
    .send(
      render(
        format,
        'errors',
        descriptions.map((description) => ({ code: status, description })),
      ),
    );
}

function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const fmt = (req: FastifyRequest) => formatOf((req.params as { format?: string }).format);
const fileOf = (req: FastifyRequest) => splitFile((req.params as { file: string }).file);
const query = (req: FastifyRequest) => open311.readParams(req.query);

async function georeport(api: FastifyInstance, deps: CtxDeps) {
  // The spec's POST body is a form; JSON (parsed by Fastify already) is accepted too.
  api.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 65_536 },
    (_req, body, done) => done(null, parseForm(String(body))),
  );
  // Keys, not cookies, authorise here: any web page may read and submit.
  api.addHook('onSend', async (_req, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  api.setErrorHandler((err, req, reply) => {
    const format = formatOfUrl(req.url);
    const locale = req.locale ?? 'zh-CN';
    if (err instanceof AppError) {
      const descriptions = err.errors?.length
        ? err.errors.map((e) => e.message)
        : [errorMessage(err.code, locale, err.params)];
      return sendErrors(reply, format, err.status, err.code, descriptions);
    }
    const e = err as { statusCode?: number; code?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendErrors(reply, format, 413, 'request.too_large', [errorMessage('request.too_large', locale)]);
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
      // A malformed body or an unsupported content type: the spec's "400 for any other error".
      return sendErrors(reply, format, 400, 'request.invalid', [errorMessage('request.invalid', locale)]);
    req.log.error({ err }, 'unhandled error');
    return sendErrors(reply, format, 500, 'internal', [errorMessage('internal', locale)]);
  });
  api.setNotFoundHandler((req, reply) =>
    sendErrors(reply, formatOfUrl(req.url), 404, 'request.not_found', [
      errorMessage('request.not_found', req.locale ?? 'zh-CN'),
    ]),
  );

  const hide = { schema: { hide: true } };
  const ctx = (req: FastifyRequest) => ctxOf(req, deps);
  /** A resource with its format as an extension, or without one (XML). */
  const get = (path: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    api.get(path, hide, handler);
    api.get(`${path}.:format`, hide, handler);
  };

  get('/discovery', async (req, reply) => {
    const base = `${req.protocol}://${req.host}${OPEN311_PREFIX}`;
    return send(reply, fmt(req), 'discovery', await open311.discovery(ctx(req), base));
  });

  get('/services', async (req, reply) => {
    const format = fmt(req);
    return send(reply, format, 'services', await open311.services(ctx(req), query(req)));
  });

  api.get('/services/:file', hide, async (req, reply) => {
    const { id, format } = fileOf(req);
    const def = await open311.serviceDefinition(ctx(req), id, query(req));
    return send(reply, format, 'service_definition', def);
  });

  get('/requests', async (req, reply) => {
    const format = fmt(req);
    return send(reply, format, 'service_requests', await open311.requests(ctx(req), query(req)));
  });

  const post = async (req: FastifyRequest, reply: FastifyReply) => {
    const format = fmt(req);
    const params = open311.readParams(req.query, req.body);
    const created = await inTransaction(ctx(req), (tx) => open311.createRequest(tx, params));
    reply.header('cache-control', 'no-store');
    return send(reply, format, 'service_requests', created);
  };
  api.post('/requests', hide, post);
  api.post('/requests.:format', hide, post);

  api.get('/requests/:file', hide, async (req, reply) => {
    const { id, format } = fileOf(req);
    return send(reply, format, 'service_requests', await open311.request(ctx(req), id, query(req)));
  });

  api.get('/tokens/:file', hide, async (req, reply) => {
    const { id, format } = fileOf(req);
    return send(reply, format, 'service_requests', await open311.token(ctx(req), id, query(req)));
  });
}
