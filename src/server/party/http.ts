import type { FastifyRequest } from 'fastify';
import { hasAnyRole } from '../core/access.ts';
import { AppError } from '../core/errors.ts';
import { authedCtx, type CtxDeps, mutate } from '../core/http.ts';
import { PARTY_ROLES } from './policy.ts';

/**
 * Party records are for party-work roles: anyone else is refused before anything is looked up.
 * `staff` gives the signed-in context of such a caller; `staffWrite` runs a change for one.
 */
export function partyStaff(deps: CtxDeps) {
  const staff = (req: FastifyRequest) => {
    const ctx = authedCtx(req, deps);
    if (!hasAnyRole(ctx.actor, PARTY_ROLES)) throw new AppError('access.forbidden');
    return ctx;
  };
  const staffWrite = <T>(req: FastifyRequest, fn: Parameters<typeof mutate<T>>[2]) => {
    staff(req);
    return mutate(req, deps, fn);
  };
  return { staff, staffWrite };
}
