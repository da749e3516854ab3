import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams, Problem, page } from '../../contracts/common.ts';
import { ADMIN_ROLES } from '../../contracts/roles.ts';
import {
  AuditListQuery,
  AuditView,
  GrantTarget,
  UserCreate,
  UserListQuery,
  UserPii,
  UserUpdate,
  UserView,
} from '../../contracts/users.ts';
import { hasAnyRole } from '../core/access.ts';
import { AppError } from '../core/errors.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import * as users from './service.ts';

const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function usersRoutes(app: FastifyInstance, deps: CtxDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  // Everything here is for administrators; others learn nothing about who exists.
  const admin = <T>(req: Parameters<typeof authedCtx>[0], fn: () => Promise<T>) => {
    const ctx = authedCtx(req, deps);
    if (!hasAnyRole(ctx.actor, ADMIN_ROLES)) throw new AppError('access.forbidden');
    return fn();
  };

  r.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'People holding a role in your area (names and phones masked)',
        querystring: UserListQuery,
        response: { 200: page(UserView), ...errs },
      },
    },
    async (req) => admin(req, () => users.listUsers(authedCtx(req, deps), req.query)),
  );
  r.post(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Create a user with a first role',
        body: UserCreate,
        response: { 200: UserView, ...errs },
      },
    },
    async (req) => admin(req, () => mutate(req, deps, (ctx) => users.createUser(ctx, req.body))),
  );
  r.get(
    '/api/v1/users/:id',
    {
      schema: { tags, summary: 'One user (masked)', params: IdParams, response: { 200: UserView, ...errs } },
    },
    async (req) => admin(req, () => users.getUser(authedCtx(req, deps), req.params.id)),
  );
  r.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        summary: 'Disable or enable a user',
        params: IdParams,
        body: UserUpdate,
        response: { 200: UserView, ...errs },
      },
    },
    async (req) =>
      admin(req, () =>
        mutate(req, deps, async (ctx) =>
          req.body.disabled === undefined
            ? users.getUser(ctx, req.params.id)
            : users.setDisabled(ctx, req.params.id, req.body.disabled),
        ),
      ),
  );
  r.post(
    '/api/v1/users/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Unmasked name and phone; the read is recorded in the audit log',
        params: IdParams,
        response: { 200: UserPii, ...errs },
      },
    },
    async (req) => admin(req, () => mutate(req, deps, (ctx) => users.revealUser(ctx, req.params.id))),
  );
  r.post(
    '/api/v1/users/:id/grants',
    {
      schema: {
        tags,
        summary: 'Grant a role on a node',
        params: IdParams,
        body: GrantTarget,
        response: { 200: UserView, ...errs },
      },
    },
    async (req) => admin(req, () => mutate(req, deps, (ctx) => users.addGrant(ctx, req.params.id, req.body))),
  );
  r.delete(
    '/api/v1/users/:id/grants/:grantId',
    {
      schema: {
        tags,
        summary: 'Revoke a grant',
        params: z.object({ id: Id, grantId: Id }),
        response: { 200: UserView, ...errs },
      },
    },
    async (req) =>
      admin(req, () => mutate(req, deps, (ctx) => users.revokeGrant(ctx, req.params.id, req.params.grantId))),
  );

  r.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries in your area, newest first',
        querystring: AuditListQuery,
        response: { 200: page(AuditView), ...errs },
      },
    },
    async (req) => admin(req, () => users.listAudit(authedCtx(req, deps), req.query)),
  );
}
