import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { SessionCache } from '../auth/session-cache.ts';
import type { Db } from '../db/index.ts';
import type { Actor } from './access.ts';
import type { ReferenceCache } from './cache.ts';
import type { Clock } from './clock.ts';
import { type Ctx, inRetriedTransaction, inTransaction } from './context.ts';
import { AppError, ERRORS, type ErrorCode, type ErrorParams, errorMessage, type Locale } from './errors.ts';
import type { PiiCipher } from './pii.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
  }
}

/** zh-CN unless the user chose English, or the client asks for it. */
export function pickLocale(req: FastifyRequest): Locale {
  if (req.actor) return req.actor.locale;
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (q === 'en' || q === 'zh-CN') return q;
  const cookie = req.cookies?.gz_lang;
  if (cookie === 'en' || cookie === 'zh-CN') return cookie;
  const al = req.headers['accept-language'] ?? '';
  // The first language the client lists decides; anything but English gets Chinese.
  const first = al.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export function sendProblem(
  reply: FastifyReply,
  req: FastifyRequest,
  code: ErrorCode,
  params: ErrorParams = {},
  errors?: { path: string; message: string }[],
) {
  const status = ERRORS[code].status;
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `https://gongzhi.dev/problems/${code}`,
      title: code,
      status,
      code,
      detail: errorMessage(code, req.locale ?? 'zh-CN', params),
      instance: req.url.split('?')[0],
      ...(errors?.length ? { errors } : {}),
    });
}

const FIELD_MESSAGES: Record<string, { zh: string; en: string }> = {
  phone: { zh: '请输入 11 位手机号', en: 'Enter an 11-digit mobile number' },
  regionCode: { zh: '区划代码应为 6、9 或 12 位数字', en: 'A region code has 6, 9 or 12 digits' },
  colourTwice: { zh: '每种颜色只能出现一次', en: 'Each colour may appear once' },
  otherwiseLast: { zh: '“其余党员”一项应放在最后', en: 'The “everyone else” entry comes last' },
  date: { zh: '日期格式应为 年-月-日，如 2026-12-01', en: 'A date is written YYYY-MM-DD' },
  voucherCode: { zh: '券码为 12 位数字', en: 'A voucher code has 12 digits' },
};

function issueMessage(issue: { message?: string; code?: string }, locale: Locale): string {
  const known = issue.message ? FIELD_MESSAGES[issue.message] : undefined;
  if (known) return locale === 'en' ? known.en : known.zh;
  if (locale === 'en') return issue.message ?? 'Invalid value';
  switch (issue.code) {
    case 'too_small':
      return '内容太短或数值太小';
    case 'too_big':
      return '内容太长或数值太大';
    case 'invalid_type':
      return '缺少此项或类型不正确';
    case 'invalid_value':
    case 'invalid_enum_value':
      return '取值不在允许范围内';
    case 'invalid_format':
    case 'invalid_string':
      return '格式不正确';
    default:
      return '内容不正确';
  }
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AppError) return sendProblem(reply, req, err.code, err.params, err.errors);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where =
        err.validationContext && err.validationContext !== 'body' ? `${err.validationContext}.` : '';
      const errors = err.validation.map((v) => ({
        path: `${where}${v.instancePath.slice(1).replace(/\//g, '.')}`,
        message: issueMessage({ message: v.message, code: v.keyword }, req.locale ?? 'zh-CN'),
      }));
      return sendProblem(reply, req, 'request.invalid', {}, errors);
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return sendProblem(reply, req, 'internal');
    }
    const e = err as { statusCode?: number; code?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, req, 'request.too_large');
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      // Malformed JSON, wrong content type and the like: the client's fault, say so plainly.
      return sendProblem(reply, req, 'request.invalid', {}, [{ path: '', message: (err as Error).message }]);
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, 'internal');
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, 'request.not_found'));
}

export interface CtxDeps {
  db: Db;
  clock: Clock;
  cache?: ReferenceCache;
  sessions?: SessionCache;
  pii?: PiiCipher;
}

export function ctxOf(req: FastifyRequest, deps: CtxDeps): Ctx {
  return {
    db: deps.db,
    actor: req.actor,
    clock: deps.clock,
    ip: req.ip ?? null,
    locale: req.locale,
    log: req.log,
    cache: deps.cache,
    sessions: deps.sessions,
    pii: deps.pii,
  };
}

/** For handlers that need a signed-in user: the context with a non-null actor. */
export function authedCtx(req: FastifyRequest, deps: CtxDeps): Ctx & { actor: Actor } {
  if (!req.actor) throw new AppError('auth.required');
  return { ...ctxOf(req, deps), actor: req.actor };
}

/**
 * One transaction per mutating request; `retry` runs it again when PostgreSQL gives up on it
 * (money-like writes under contention: core/context.ts inRetriedTransaction).
 */
export function mutate<T>(
  req: FastifyRequest,
  deps: CtxDeps,
  fn: (ctx: Ctx & { actor: Actor }) => Promise<T>,
  o: { retry?: boolean } = {},
): Promise<T> {
  const ctx = authedCtx(req, deps);
  const run = o.retry ? inRetriedTransaction : inTransaction;
  return run(ctx, (tx) => fn({ ...tx, actor: ctx.actor }));
}
