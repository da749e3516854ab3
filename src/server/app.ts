import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authRoutes, SESSION_COOKIE } from './auth/routes.ts';
import { type AuthSettings, actorFromToken, DEFAULT_AUTH } from './auth/service.ts';
import { DEFAULT_SESSION_CACHE_MS, SessionCache } from './auth/session-cache.ts';
import type { SmsGateway } from './auth/sms.ts';
import { ReferenceCache } from './core/cache.ts';
import type { Clock } from './core/clock.ts';
import { openEventBus } from './core/events.ts';
import { registerMultipart } from './core/files.ts';
import { pickLocale, registerErrorHandling, sendProblem } from './core/http.ts';
import type { PiiCipher } from './core/pii.ts';
import { type Db, type DbKind, migrationState } from './db/index.ts';
import { geoRoutes } from './geo/routes.ts';
import { open311Routes } from './open311/routes.ts';
import { pairingRoutes } from './party/pairing-routes.ts';
import { registrationRoutes } from './party/registration-routes.ts';
import { partyRoutes } from './party/routes.ts';
import { merchantRoutes } from './points/merchant-routes.ts';
import { pointsPostingRoutes } from './points/posting-routes.ts';
import { pointsRoutes } from './points/routes.ts';
import { pointsRulesRoutes } from './points/rules-routes.ts';
import { serviceRoutes } from './service/routes.ts';
import { serviceTargetRoutes } from './service/targets-routes.ts';
import { statsRoutes } from './stats/routes.ts';
import { liveRoutes } from './tickets/live.ts';
import { followedOpenTicketIds } from './tickets/repo.ts';
import { ticketRoutes } from './tickets/routes.ts';
import { usersRoutes } from './users/routes.ts';

export interface AppDeps {
  db: Db;
  dbKind: DbKind;
  clock: Clock;
  sms: SmsGateway;
  auth?: Partial<AuthSettings>;
  /** Built web apps (dist/web); null to serve the API only. */
  webDir?: string | null;
  /** Set the Secure flag on cookies (behind HTTPS). */
  secureCookies?: boolean;
  /** Extra origins allowed to send cookie-authenticated writes (besides the request's own host). */
  trustedOrigins?: string[];
  /** A pino logger; none in tests. */
  logger?: FastifyBaseLogger;
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** How long an instance may reuse a session it read (SESSION_CACHE_SECONDS); 0 reads it every time. */
  sessionCacheMs?: number;
  /** Seals identity card numbers (PII_KEY, core/pii.ts). */
  pii: PiiCipher;
  version?: string;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PUBLIC_ROUTES = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/otp',
  '/api/v1/auth/otp/login',
  '/api/v1/auth/logout',
]);

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    trustProxy: deps.trustProxy ?? false,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  await registerMultipart(app);
  registerErrorHandling(app);
  const authSettings: AuthSettings = { ...DEFAULT_AUTH, ...deps.auth };
  const cache = new ReferenceCache();
  const sessions = new SessionCache(deps.sessionCacheMs ?? DEFAULT_SESSION_CACHE_MS);
  const ctxDeps = { db: deps.db, clock: deps.clock, cache, sessions, pii: deps.pii };

  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    req.locale = pickLocale(req);
    if (!req.url.startsWith('/api/')) return;
    reply.header('cache-control', 'no-store');
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      // The live stream reconnects by itself: an open tab must not count as the user being active.
      const passive = req.url.startsWith('/api/v1/tickets/live');
      req.actor = await actorFromToken(ctxDeps, token, authSettings, !passive, sessions);
      if (req.actor) req.locale = req.actor.locale;
    }
    if (UNSAFE.has(req.method) && !sameOrigin(req.headers, deps.trustedOrigins ?? [])) {
      return sendProblem(reply, req, 'request.csrf');
    }
    // Deny by default: a signed-in user is needed everywhere under /api/v1 except these (and the
    // read-only checks under /api/v1/public/, such as a certificate's number). Checked before body
    // validation so an anonymous caller learns nothing about a route's input.
    if (
      !req.actor &&
      req.url.startsWith('/api/v1/') &&
      !req.url.startsWith('/api/v1/public/') &&
      !PUBLIC_ROUTES.has(req.url.split('?')[0] ?? '')
    ) {
      return sendProblem(reply, req, 'auth.required');
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'gongzhi 共治 API',
        description:
          'Party-building-led grassroots governance. JSON under /api/v1; errors are RFC 9457 problem+json with a stable `code` and a `detail` in the request language (zh-CN default, `Accept-Language: en` for English). Authentication: the `gz_session` cookie set by /api/v1/auth/login.',
        version: deps.version ?? '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const migrations = await migrationState(deps.db);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  r.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness, database kind and migration state',
        security: [],
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.object({
              kind: z.enum(['embedded', 'postgres']),
              migrations: z.object({
                applied: z.number(),
                available: z.number(),
                latest: z.string().nullable(),
                upToDate: z.boolean(),
              }),
            }),
            version: z.string(),
            uptimeSeconds: z.number(),
          }),
        },
      },
    },
    async () => {
      // Read once at start-up (migrations only run then): health must answer at once even while
      // a long query holds the embedded database's single connection.
      const m = migrations;
      return {
        status: 'ok' as const,
        database: { kind: deps.dbKind, migrations: { ...m, upToDate: m.applied === m.available } },
        version: deps.version ?? '0.1.0',
        uptimeSeconds: Math.round(process.uptime()),
      };
    },
  );

  authRoutes(app, {
    ...ctxDeps,
    auth: authSettings,
    sms: deps.sms,
    secureCookies: deps.secureCookies ?? false,
  });
  geoRoutes(app, ctxDeps);
  usersRoutes(app, ctxDeps);
  ticketRoutes(app, ctxDeps);
  open311Routes(app, ctxDeps);
  partyRoutes(app, ctxDeps);
  registrationRoutes(app, ctxDeps);
  pairingRoutes(app, ctxDeps);
  pointsRoutes(app, ctxDeps);
  pointsRulesRoutes(app, ctxDeps);
  pointsPostingRoutes(app, ctxDeps);
  merchantRoutes(app, ctxDeps);
  serviceRoutes(app, ctxDeps);
  serviceTargetRoutes(app, ctxDeps);
  statsRoutes(app, ctxDeps);
  // Live ticket queues: one LISTEN connection per instance, closed with the app.
  const events = await openEventBus(deps.db, { kind: deps.dbKind, log: app.log });
  app.addHook('onClose', () => events.close());
  events.subscribe(sessions.onEvent);
  events.subscribe(cache.onEvent);
  liveRoutes(app, {
    events,
    followed: (userId, limit) => followedOpenTicketIds(deps.db, userId, limit),
  });

  if (deps.webDir && fs.existsSync(path.join(deps.webDir, 'console', 'index.html'))) {
    await registerWeb(app, deps.webDir);
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('gongzhi API is running; the web apps are not built (npm run build:web). API docs: /api/docs'),
    );
  }
  return app;
}

function sameOrigin(headers: Record<string, string | string[] | undefined>, trusted: string[]): boolean {
  const origin = headers.origin as string | undefined;
  const host = headers['x-forwarded-host'] ?? headers.host;
  if (origin) {
    if (trusted.includes(origin)) return true;
    try {
      // Normalise default ports: Origin "http://h" matches Host "h:80".
      const o = new URL(origin);
      return o.host === new URL(`${o.protocol}//${host}`).host;
    } catch {
      return false;
    }
  }
  const site = headers['sec-fetch-site'] as string | undefined;
  if (site) return site === 'same-origin' || site === 'none';
  // No browser provenance headers: a script or tool. A cross-site HTML form cannot send JSON,
  // so requiring a JSON body closes the classic CSRF hole for such clients.
  const type = String(headers['content-type'] ?? '');
  return type === '' || type.startsWith('application/json');
}

async function registerWeb(app: FastifyInstance, webDir: string) {
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    index: false,
    wildcard: true,
    setHeaders(res, filePath) {
      // Hashed assets never change; HTML must always be revalidated to pick up new builds.
      if (filePath.includes(`${path.sep}assets${path.sep}`))
        res.header('cache-control', 'public, max-age=31536000, immutable');
      else res.header('cache-control', 'no-cache');
    },
  });
  for (const appName of ['console', 'm']) {
    const send = async (_req: unknown, reply: FastifyReply) => {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile(`${appName}/index.html`);
    };
    app.get(`/${appName}`, send);
    app.get(`/${appName}/`, send);
    app.get(`/${appName}/*`, async (req, reply) => {
      // Real files (icons etc.) win; everything else is a client-side route.
      const rel = (req.params as { '*': string })['*'];
      if (rel && /\.[a-z0-9]+$/i.test(rel) && fs.existsSync(path.join(webDir, appName, rel))) {
        return reply.sendFile(`${appName}/${rel}`);
      }
      return send(req, reply);
    });
  }
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const ua = String(req.headers['user-agent'] ?? '');
    return reply.redirect(/Mobile|Android|iPhone/i.test(ua) ? '/m/' : '/console/');
  });
}
