import type { Problem } from '../../contracts/common.ts';
import { currentLang, i18n } from '../i18n/index.ts';

/**
 * A tiny fetch wrapper: same-origin cookies, JSON in and out, the UI language in
 * Accept-Language, and RFC 9457 problems turned into ApiError (whose `detail` is already in
 * the user's language, so the UI shows it as is).
 */

export type FieldError = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** Stable code from the server (`compound.duplicate`), or `network` / `http` from here. */
    readonly code: string,
    /** Message for people, in their language. */
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export const API_BASE = '/api/v1';

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Each app says what "the session is gone" means for it (usually: show the login page). */
export function setUnauthorizedHandler(fn: UnauthorizedHandler | null) {
  onUnauthorized = fn;
}

export interface RequestOptions {
  /** Do not treat 401 as "session expired" (login forms, the initial /me probe). */
  allow401?: boolean;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `Idempotency-Key`). */
  headers?: Record<string, string>;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && typeof (x as Problem).code === 'string';
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLang(),
    ...opts.headers,
  };
  // A FormData body (file uploads) sets its own multipart Content-Type with the boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('error.network'));
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.ok) return data as T;

  const problem = isProblem(data) ? data : null;
  const err = new ApiError(
    res.status,
    problem?.code ?? 'http',
    problem?.detail || i18n.t('error.generic'),
    problem?.errors ?? [],
  );
  if (res.status === 401 && !opts.allow401 && (problem?.code ?? 'auth.required') === 'auth.required') {
    onUnauthorized?.();
  }
  throw err;
}

export const http = {
  get: <T>(path: string, query?: Query, opts?: RequestOptions) =>
    request<T>('GET', withQuery(path, query), undefined, opts),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/** The message to show for any thrown value. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.detail;
  return i18n.t('error.generic');
}
