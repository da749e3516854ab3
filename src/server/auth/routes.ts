import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  LoginBody,
  Me,
  MeUpdate,
  OtpLoginBody,
  OtpRequestBody,
  PasswordChange,
  SessionView,
} from '../../contracts/auth.ts';
import { Ok, Problem } from '../../contracts/common.ts';
import { authedCtx, type CtxDeps, ctxOf, mutate } from '../core/http.ts';
import * as repo from './repo.ts';
import type { AuthSettings } from './service.ts';
import * as auth from './service.ts';
import type { SmsGateway } from './sms.ts';

export const SESSION_COOKIE = 'gz_session';

export interface AuthRouteDeps extends CtxDeps {
  auth: AuthSettings;
  sms: SmsGateway;
  secureCookies: boolean;
}

const errors = { 400: Problem, 401: Problem, 403: Problem, 423: Problem, 429: Problem };

export function authRoutes(app: FastifyInstance, deps: AuthRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const setSession = (reply: FastifyReply, s: auth.NewSession) => {
    reply.setCookie(SESSION_COOKIE, s.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      expires: s.expiresAt,
    });
  };
  const meAfterLogin = async (req: FastifyRequest, s: auth.NewSession) => {
    const actor = await auth.actorFromToken({ db: deps.db, clock: deps.clock }, s.token, deps.auth);
    if (!actor) throw new Error('fresh session did not resolve');
    req.actor = actor;
    req.locale = actor.locale;
    return auth.presentMe(ctxOf(req, deps), actor);
  };

  r.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with phone and password; sets the session cookie',
        body: LoginBody,
        response: { 200: Me, ...errors },
      },
    },
    async (req, reply) => {
      const s = await auth.login(
        ctxOf(req, deps),
        { ...req.body, userAgent: req.headers['user-agent'] ?? null },
        deps.auth,
      );
      setSession(reply, s);
      return meAfterLogin(req, s);
    },
  );

  r.post(
    '/api/v1/auth/otp',
    {
      schema: {
        tags: ['auth'],
        summary: 'Send a one-time login code by SMS (same answer whether or not the phone has an account)',
        body: OtpRequestBody,
        response: { 200: z.object({ ok: z.literal(true), retryAfter: z.number() }), ...errors },
      },
    },
    async (req) => {
      const { retryAfter } = await auth.requestOtp(ctxOf(req, deps), req.body.phone, deps.sms);
      return { ok: true as const, retryAfter };
    },
  );

  r.post(
    '/api/v1/auth/otp/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with an SMS code',
        body: OtpLoginBody,
        response: { 200: Me, ...errors },
      },
    },
    async (req, reply) => {
      const s = await auth.loginWithOtp(
        ctxOf(req, deps),
        { ...req.body, userAgent: req.headers['user-agent'] ?? null },
        deps.auth,
      );
      setSession(reply, s);
      return meAfterLogin(req, s);
    },
  );

  r.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session', response: { 200: Ok } } },
    async (req, reply) => {
      await auth.logout(ctxOf(req, deps), req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.post(
    '/api/v1/auth/logout-all',
    {
      schema: {
        tags: ['auth'],
        summary: 'End every session of this user, on every device',
        response: { 200: Ok, 401: Problem },
      },
    },
    async (req, reply) => {
      await mutate(req, deps, (ctx) => auth.logoutEverywhere(ctx));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and their grants',
        response: { 200: Me, 401: Problem },
      },
    },
    async (req) => {
      const ctx = authedCtx(req, deps);
      return auth.presentMe(ctx, ctx.actor);
    },
  );

  r.patch(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change own name or language',
        body: MeUpdate,
        response: { 200: Me, ...errors },
      },
    },
    async (req) => {
      const actor = await mutate(req, deps, (ctx) => auth.updateMe(ctx, req.body));
      req.actor = actor;
      req.locale = actor.locale;
      return auth.presentMe(ctxOf(req, deps), actor);
    },
  );

  r.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change own password',
        body: PasswordChange,
        response: { 200: Ok, ...errors },
      },
    },
    async (req) => {
      await mutate(req, deps, (ctx) => auth.changePassword(ctx, req.body));
      return { ok: true as const };
    },
  );

  r.get(
    '/api/v1/me/sessions',
    {
      schema: {
        tags: ['auth'],
        summary: 'Own active sessions',
        response: { 200: z.array(SessionView), 401: Problem },
      },
    },
    async (req) => {
      const ctx = authedCtx(req, deps);
      const current = auth.sha256(req.cookies[SESSION_COOKIE] ?? '');
      const rows = await repo.listUserSessions(ctx.db, ctx.actor.userId, ctx.clock.now());
      return rows.map((s) => ({
        current: s.tokenHash === current,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        ip: s.ip,
        userAgent: s.userAgent,
      }));
    },
  );
}
