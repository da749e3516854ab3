import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Me } from '../../contracts/auth.ts';
import { ADMIN_ROLES, CONSOLE_ROLES } from '../../contracts/roles.ts';
import { type Actor, hasAnyRole } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError, type Locale } from '../core/errors.ts';
import { limit, secondsLeft } from '../core/rate-limit.ts';
import { pathLabels } from '../geo/repo.ts';
import { burnPasswordCheck, checkPasswordStrength, hashPassword, verifyPassword } from './password.ts';
import * as repo from './repo.ts';
import type { SessionCache } from './session-cache.ts';
import type { SmsGateway } from './sms.ts';

export interface AuthSettings {
  sessionIdleMinutes: number;
  sessionAbsoluteDays: number;
  lockAfterFailures: number;
  lockMinutes: number;
}

export const DEFAULT_AUTH: AuthSettings = {
  sessionIdleMinutes: 12 * 60,
  sessionAbsoluteDays: 30,
  lockAfterFailures: 5,
  lockMinutes: 15,
};

export const OTP_TTL_MINUTES = 5;
export const OTP_MAX_ATTEMPTS = 5;

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export interface NewSession {
  token: string;
  expiresAt: Date;
  userId: number;
}

async function startSession(ctx: Ctx, userId: number, settings: AuthSettings, userAgent: string | null) {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + settings.sessionAbsoluteDays * 86_400_000);
  await repo.insertSession(ctx.db, {
    tokenHash: sha256(token),
    userId,
    now,
    expiresAt,
    ip: ctx.ip,
    userAgent,
  });
  return { token, expiresAt, userId };
}

/**
 * Password login. Throttled per IP and per phone (shared counters in the database), and an
 * account is locked for a while after repeated failures. Counters are written outside any
 * request transaction so a refused login still counts.
 */
export async function login(
  ctx: Ctx,
  input: { phone: string; password: string; userAgent: string | null },
  settings: AuthSettings,
): Promise<NewSession> {
  const now = ctx.clock.now();
  await limit(ctx.db, `login:ip:${ctx.ip}`, 600, 50, now);
  await limit(ctx.db, `login:phone:${input.phone}`, 600, 20, now);
  const user = await repo.findUserByPhone(ctx.db, input.phone);
  if (!user?.passwordHash) {
    await burnPasswordCheck(input.password);
    throw new AppError('auth.invalid_credentials');
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new AppError('auth.locked', {
      minutes: Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000),
    });
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok) {
    const lockUntil = new Date(now.getTime() + settings.lockMinutes * 60_000);
    const r = await repo.recordLoginFailure(ctx.db, user.id, settings.lockAfterFailures, lockUntil);
    await audit({ ...ctx, actor: null }, { action: 'auth.login_failed', entity: 'user', entityId: user.id });
    if (r?.lockedUntil && r.lockedUntil > now) {
      throw new AppError('auth.locked', { minutes: settings.lockMinutes });
    }
    throw new AppError('auth.invalid_credentials');
  }
  if (user.disabled) throw new AppError('auth.disabled');
  if (user.failedLogins > 0 || user.lockedUntil) await repo.resetLoginFailures(ctx.db, user.id);
  const s = await startSession(ctx, user.id, settings, input.userAgent);
  await audit(
    { ...ctx, actor: null },
    { action: 'auth.login', entity: 'user', entityId: user.id, detail: { method: 'password' } },
  );
  return s;
}

/** Sends a 6-digit code. Same answer whether or not the phone has an account. */
export async function requestOtp(ctx: Ctx, phone: string, sms: SmsGateway): Promise<{ retryAfter: number }> {
  const now = ctx.clock.now();
  await limit(ctx.db, `otp:ip:${ctx.ip}`, 3600, 20, now);
  await limit(ctx.db, `otp:phone-min:${phone}`, 60, 1, now);
  await limit(ctx.db, `otp:phone-hour:${phone}`, 3600, 5, now);
  const user = await repo.findUserByPhone(ctx.db, phone);
  if (user && !user.disabled) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await repo.insertOtp(
      ctx.db,
      phone,
      sha256(`${phone}:${code}`),
      now,
      new Date(now.getTime() + OTP_TTL_MINUTES * 60_000),
    );
    await sms.sendCode(phone, code, OTP_TTL_MINUTES);
  }
  return { retryAfter: secondsLeft(60, now) };
}

export async function loginWithOtp(
  ctx: Ctx,
  input: { phone: string; code: string; userAgent: string | null },
  settings: AuthSettings,
): Promise<NewSession> {
  const now = ctx.clock.now();
  await limit(ctx.db, `otp-verify:ip:${ctx.ip}`, 600, 50, now);
  const otp = await repo.latestOtp(ctx.db, input.phone, now);
  if (!otp) throw new AppError('auth.otp_invalid');
  const attempts = await repo.bumpOtpAttempts(ctx.db, otp.id);
  if (attempts > OTP_MAX_ATTEMPTS) {
    await repo.markOtpUsed(ctx.db, otp.id, now);
    throw new AppError('auth.otp_invalid');
  }
  const expected = Buffer.from(otp.codeHash, 'hex');
  const given = Buffer.from(sha256(`${input.phone}:${input.code}`), 'hex');
  if (!timingSafeEqual(expected, given)) throw new AppError('auth.otp_invalid');
  if (!(await repo.markOtpUsed(ctx.db, otp.id, now))) throw new AppError('auth.otp_invalid');
  const user = await repo.findUserByPhone(ctx.db, input.phone);
  if (!user) throw new AppError('auth.otp_invalid');
  if (user.disabled) throw new AppError('auth.disabled');
  // A correct code proves possession of the phone: it also clears a password lockout.
  if (user.failedLogins > 0 || user.lockedUntil) await repo.resetLoginFailures(ctx.db, user.id);
  const s = await startSession(ctx, user.id, settings, input.userAgent);
  await audit(
    { ...ctx, actor: null },
    { action: 'auth.login', entity: 'user', entityId: user.id, detail: { method: 'otp' } },
  );
  return s;
}

/** Resolves a cookie token to an actor, enforcing idle and absolute expiry. */
export async function actorFromToken(
  ctx: Pick<Ctx, 'db' | 'clock'>,
  token: string,
  settings: AuthSettings,
  /** False for requests a page makes on its own (the live stream): they must not keep an idle session alive. */
  touch = true,
  cache?: SessionCache,
): Promise<Actor | null> {
  if (token.length < 20 || token.length > 100) return null;
  const hash = sha256(token);
  const now = ctx.clock.now();
  const load = () => repo.sessionWithUser(ctx.db, hash);
  const row = cache ? await cache.get(hash, now.getTime(), load) : await load();
  if (!row) return null;
  const { session, user } = row;
  const idleLimit = new Date(session.lastSeenAt.getTime() + settings.sessionIdleMinutes * 60_000);
  if (session.expiresAt <= now || idleLimit <= now || user.disabled) {
    cache?.forget(hash);
    await repo.deleteSession(ctx.db, hash);
    return null;
  }
  if (user.sessionsValidAfter && session.createdAt < user.sessionsValidAfter) return null;
  // Touch at most once a minute: a write per request would make every GET a write. The cached row
  // is touched too, so the next minute's requests do not write again.
  if (touch && now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await repo.touchSession(ctx.db, hash, now);
    session.lastSeenAt = now;
  }
  return {
    userId: user.id,
    name: user.name,
    phone: user.phone,
    locale: (user.locale === 'en' ? 'en' : 'zh-CN') as Locale,
    grants: row.grants.map((g) => ({ ...g, departmentId: g.departmentId ?? null })),
  };
}

export async function logout(ctx: Ctx, token: string | undefined): Promise<void> {
  if (token) {
    ctx.sessions?.forget(sha256(token));
    await repo.deleteSession(ctx.db, sha256(token));
  }
  if (ctx.actor) await audit(ctx, { action: 'auth.logout', entity: 'user', entityId: ctx.actor.userId });
}

export async function logoutEverywhere(ctx: Ctx & { actor: Actor }): Promise<void> {
  ctx.sessions?.forgetUser(ctx.actor.userId);
  await repo.deleteUserSessions(ctx.db, ctx.actor.userId);
  await audit(ctx, { action: 'auth.logout_all', entity: 'user', entityId: ctx.actor.userId });
}

export async function presentMe(ctx: Ctx, actor: Actor): Promise<Me> {
  const labels = await pathLabels(
    ctx.db,
    actor.grants.map((g) => g.scopePath),
  );
  const isAdmin = hasAnyRole(actor, ADMIN_ROLES);
  return {
    id: actor.userId,
    name: actor.name,
    phone: actor.phone,
    locale: actor.locale,
    grants: actor.grants.map((g) => ({
      id: g.id,
      role: g.role,
      nodeKind: g.nodeKind,
      nodeRef: g.nodeRef,
      scopePath: g.scopePath,
      scopeLabel: labels.get(g.scopePath) ?? g.scopePath,
    })),
    can: {
      console: hasAnyRole(actor, CONSOLE_ROLES),
      manageGeo: isAdmin,
      manageUsers: isAdmin,
      viewAudit: isAdmin,
    },
  };
}

export async function changePassword(
  ctx: Ctx & { actor: Actor },
  input: { currentPassword?: string; newPassword: string },
): Promise<void> {
  const user = await repo.findUserById(ctx.db, ctx.actor.userId);
  if (!user) throw new AppError('auth.required');
  if (user.passwordHash) {
    if (!input.currentPassword || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new AppError('auth.wrong_password');
    }
  }
  if (checkPasswordStrength(input.newPassword, user.phone)) throw new AppError('auth.weak_password');
  await repo.updateUser(ctx.db, user.id, {
    passwordHash: await hashPassword(input.newPassword),
    updatedAt: ctx.clock.now(),
  });
  await audit(ctx, { action: 'auth.password_changed', entity: 'user', entityId: user.id });
}

export async function updateMe(
  ctx: Ctx & { actor: Actor },
  input: { locale?: Locale; name?: string },
): Promise<Actor> {
  ctx.sessions?.forgetUser(ctx.actor.userId);
  await repo.updateUser(ctx.db, ctx.actor.userId, { ...input, updatedAt: ctx.clock.now() });
  await audit(ctx, { action: 'user.update_self', entity: 'user', entityId: ctx.actor.userId, detail: input });
  return { ...ctx.actor, ...input };
}
