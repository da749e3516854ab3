/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the tickets domain:
 *
 * - jurisdiction_id is a county code; services are the items of the current responsibility list
 *   (service_code = item code, group = category name); a service request is a ticket, its
 *   service_request_id the ticket number.
 * - Submitting needs an api_key issued to a client system for one county; the ticket enters the
 *   normal workflow as channel 'open311', with the submitter as the ticket's contact.
 * - Reading needs no key (as the spec has it), so it shows only non-private tickets and no personal
 *   data: no reporter or contact, no free-text place, coordinates coarsened to about 100 m, and
 *   phone and ID numbers masked in free text.
 * - Requests are created synchronously (service type 'realtime'), so no token is ever needed; a
 *   token lookup accepts a service_request_id and returns it, as the spec's token resource would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { STATUS_LABELS, type TicketStatus } from '../../contracts/tickets.ts';
import { type Actor, hasAnyRole, scopesFor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError, type ErrorCode, type ErrorParams, errorMessage, type Locale } from '../core/errors.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import { limit } from '../core/rate-limit.ts';
import * as geo from '../geo/repo.ts';
import { regions } from '../geo/tables.ts';
import * as tickets from '../tickets/repo.ts';
import { DEFAULT_LIMITS, intake } from '../tickets/service.ts';
import { formatLimit, parseLimit } from '../tickets/worktime.ts';
import * as repo from './repo.ts';

type Authed = Ctx & { actor: Actor };

/** Who may issue and revoke keys: administrators of the county (or the whole city). */
export const ISSUER_ROLES = ['countyAdmin', 'cityAdmin'] as const;

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
export const FORMATS = ['text/xml', 'application/json'];

/** Default and widest window of GET requests, and its most rows (the spec's defaults). */
export const WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 86_400_000;

/** Statuses reported as `closed`; every other one is `open`. */
export const CLOSED_STATUSES: readonly TicketStatus[] = ['closed', 'rejected', 'referred', 'merged'];

/** A GPS point names the compound within this distance; failing that, the nearest one's community. */
const COMPOUND_METRES = 1500;
const COMMUNITY_METRES = 5000;

/** Writes per client and reads per address, per minute. */
const POSTS_PER_MINUTE = 60;
const READS_PER_MINUTE = 300;

const bi = (zh: string, en: string) => ({ zh, en });
const pick = (locale: Locale, t: { zh: string; en: string }) => (locale === 'en' ? t.en : t.zh);

// Clients and keys ------------------------------------------------------------------------------

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** 32 random bytes, URL-safe; the prefix says what it is when it turns up in a log or a file. */
export function newApiKey(): string {
  return `o311_${randomBytes(32).toString('base64url')}`;
}

export interface ClientView {
  id: number;
  name: string;
  countyCode: string;
  countyName: string;
  createdAt: string;
  createdByName: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  can: { revoke: boolean };
}

type ClientListRow = Awaited<ReturnType<typeof repo.listClients>>[number];

function clientView(r: ClientListRow): ClientView {
  const c = r.client;
  return {
    id: c.id,
    name: c.name,
    countyCode: c.countyCode,
    countyName: r.countyName,
    createdAt: c.createdAt.toISOString(),
    createdByName: r.createdByName ? maskName(r.createdByName) : null,
    revokedAt: c.revokedAt?.toISOString() ?? null,
    lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
    can: { revoke: c.revokedAt === null },
  };
}

async function countyOr404(ctx: Ctx, code: string) {
  const r = await geo.regionByCode(ctx.db, code);
  if (r?.level !== 'county') throw new AppError('open311.county_not_found', { code });
  return r;
}

/**
 * Issues a key for a client system of one county; the key is in the result and nowhere else.
 * Checks no access: the operator's command line and `createClient` (which does) call it.
 */
export async function issueClient(ctx: Ctx, input: { name: string; countyCode: string }) {
  const county = await countyOr404(ctx, input.countyCode);
  const apiKey = newApiKey();
  const client = await repo.insertClient(ctx.db, {
    name: input.name,
    countyCode: county.code,
    keyHash: hashKey(apiKey),
    createdBy: ctx.actor?.userId ?? null,
    createdAt: ctx.clock.now(),
  });
  await audit(ctx, {
    action: 'open311.client.create',
    entity: 'open311Client',
    entityId: client.id,
    scopePath: county.path,
    detail: { name: client.name, countyCode: county.code, via: ctx.actor ? 'api' : 'cli' },
  });
  return { client, county, apiKey };
}

function requireIssuer(actor: Actor) {
  if (!hasAnyRole(actor, ISSUER_ROLES)) throw new AppError('access.forbidden');
  return scopesFor(actor, ISSUER_ROLES);
}

export async function createClient(ctx: Authed, input: { name: string; countyCode: string }) {
  const scopes = requireIssuer(ctx.actor);
  const county = await countyOr404(ctx, input.countyCode);
  // A county outside the administrator's area is "not found", as everywhere.
  if (!scopes.some((s) => county.path.startsWith(s)))
    throw new AppError('open311.county_not_found', { code: input.countyCode });
  const { client, apiKey } = await issueClient(ctx, input);
  const row = await repo.clientById(ctx.db, client.id, scopeWhere(regions.path, scopes));
  if (!row) throw new Error('issued client not readable');
  return { ...clientView(row), apiKey };
}

export async function listClients(ctx: Authed): Promise<{ items: ClientView[] }> {
  const scopes = requireIssuer(ctx.actor);
  const rows = await repo.listClients(ctx.db, scopeWhere(regions.path, scopes));
  return { items: rows.map(clientView) };
}

export async function revokeClient(ctx: Authed, id: number): Promise<ClientView> {
  const scopes = requireIssuer(ctx.actor);
  const visible = scopeWhere(regions.path, scopes);
  const row = await repo.clientById(ctx.db, id, visible, true);
  if (!row) throw new AppError('open311.client_not_found');
  if (row.client.revokedAt === null) {
    await repo.revokeClient(ctx.db, id, ctx.clock.now());
    await audit(ctx, {
      action: 'open311.client.revoke',
      entity: 'open311Client',
      entityId: id,
      scopePath: row.countyPath,
      detail: { name: row.client.name, countyCode: row.client.countyCode },
    });
  }
  const after = await repo.clientById(ctx.db, id, visible);
  if (!after) throw new AppError('open311.client_not_found');
  return clientView(after);
}

/** The client holding this key: 403 when none is given, it is unknown, or it was revoked. */
export async function authenticate(ctx: Ctx, apiKey: string | undefined) {
  if (!apiKey) throw new AppError('open311.api_key_missing');
  const client = await repo.clientByKeyHash(ctx.db, hashKey(apiKey));
  if (!client || client.revokedAt !== null) throw new AppError('open311.api_key_invalid');
  return client;
}

/** What the client sent, echoed in an error message: never more than a short line of it. */
const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

// Input -----------------------------------------------------------------------------------------

/** Parameters as strings (empty ones dropped: "optional" means absent or empty), and attributes. */
export interface Params {
  fields: Record<string, string>;
  attributes: Record<string, string[]>;
}

function scalar(v: unknown): string | undefined {
  if (Array.isArray(v)) return scalar(v[0]);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function strings(v: unknown): string[] {
  const all = Array.isArray(v) ? v : [v];
  return all.map(scalar).filter((s): s is string => s !== undefined && s !== '');
}

/**
 * Reads parameters sent as a form (`attribute[code]=v`, `attribute[code][]=v1&…`), as JSON
 * (`"attribute": {"code": "v"}`) or in the query string; later sources win.
 */
export function readParams(...sources: unknown[]): Params {
  const fields: Record<string, string> = {};
  const attributes: Record<string, string[]> = {};
  for (const src of sources) {
    if (!src || typeof src !== 'object') continue;
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(k);
      if (m?.[1]) {
        attributes[m[1]] = strings(v);
      } else if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [code, value] of Object.entries(v as Record<string, unknown>))
          attributes[code] = strings(value);
      } else {
        const s = scalar(v);
        if (s !== undefined && s !== '') fields[k] = s;
      }
    }
  }
  return { fields, attributes };
}

function fieldError(ctx: Ctx, problems: { field: string; code?: ErrorCode; params?: ErrorParams }[]) {
  const first = problems[0];
  return new AppError(
    first?.code ?? 'open311.invalid_field',
    { field: first?.field ?? '', ...first?.params },
    problems.map((p) => ({
      path: p.field,
      message: errorMessage(p.code ?? 'open311.invalid_field', ctx.locale, { field: p.field, ...p.params }),
    })),
  );
}

/** The county a jurisdiction_id names: 400 when required and absent, 404 when it is no county. */
export async function jurisdiction(ctx: Ctx, id: string | undefined, required: true): Promise<geo.RegionRow>;
export async function jurisdiction(
  ctx: Ctx,
  id: string | undefined,
  required: false,
): Promise<geo.RegionRow | null>;
export async function jurisdiction(ctx: Ctx, id: string | undefined, required: boolean) {
  if (!id) {
    if (required) throw new AppError('open311.jurisdiction_required');
    return null;
  }
  const r = /^\d{6}$/.test(id) ? await geo.regionByCode(ctx.db, id) : undefined;
  if (r?.level !== 'county') throw new AppError('open311.jurisdiction_not_found', { id: clip(id) });
  return r;
}

// Dates -----------------------------------------------------------------------------------------

const SHANGHAI_MS = 8 * 3_600_000;

/** W3C datetime in Beijing time: 2026-11-26T08:00:00+08:00. */
export function w3c(d: Date): string {
  return `${new Date(d.getTime() + SHANGHAI_MS).toISOString().slice(0, 19)}+08:00`;
}

const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * A W3C datetime (a date alone is a day in Beijing time); the zone is required with a time, as the
 * spec says. A '+' sent unencoded in a query string arrives as a space and is read as '+'.
 */
function parseW3c(value: string): { at: Date; dateOnly: boolean } | null {
  const s = value.replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = W3C.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec] = m;
  const dateOnly = h === undefined;
  const zone = m[7];
  const iso = dateOnly
    ? `${y}-${mo}-${d}T00:00:00+08:00`
    : `${s.slice(0, s.length - (zone?.length ?? 0))}${zone === 'Z' ? 'Z' : `${zone?.slice(0, 3)}:${zone?.slice(-2)}`}`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  // Day 31 of February and the like roll over in Date: refuse them.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(sec ?? 0) > 59) return null;
  return { at, dateOnly };
}

/** The [from, before) window of GET requests: at most 90 days, the last 90 by default. */
function dateWindow(ctx: Ctx, start?: string, end?: string): { from: Date; before: Date } {
  const s = start === undefined ? undefined : parseW3c(start);
  const e = end === undefined ? undefined : parseW3c(end);
  const bad: { field: string; code: ErrorCode }[] = [];
  if (s === null) bad.push({ field: 'start_date', code: 'open311.bad_date' });
  if (e === null) bad.push({ field: 'end_date', code: 'open311.bad_date' });
  if (bad.length) throw fieldError(ctx, bad);
  const span = WINDOW_DAYS * DAY_MS;
  // An end given as a date includes that whole day.
  const endAt = e ? (e.dateOnly ? e.at.getTime() + DAY_MS : e.at.getTime() + 1) : undefined;
  let from: number;
  let before: number;
  if (s && endAt !== undefined) {
    from = s.at.getTime();
    before = endAt;
    if (before <= from || before - from > span + (e?.dateOnly ? 0 : 1))
      throw new AppError('open311.date_range', { days: WINDOW_DAYS });
  } else if (s) {
    from = s.at.getTime();
    before = from + span;
  } else if (endAt !== undefined) {
    before = endAt;
    from = before - span;
  } else {
    before = ctx.clock.now().getTime() + 1;
    from = before - 1 - span;
  }
  return { from: new Date(from), before: new Date(before) };
}

// Free text -------------------------------------------------------------------------------------

/** Masks mainland mobile and ID card numbers in text shown without a key. */
export function scrub(text: string): string {
  return text
    .replace(/(?<![\dA-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![\dA-Za-z])/g, '$1********$2')
    .replace(/(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)/g, (m, n: string) =>
      m.replace(n, maskPhone(n.replace(/[- ]/g, ''))),
    );
}

// Discovery -------------------------------------------------------------------------------------

export async function discovery(ctx: Ctx, baseUrl: string) {
  const list = await tickets.currentList(ctx.db);
  const changeset = w3c(list?.publishedAt ?? new Date(0));
  return {
    changeset,
    contact: pick(
      ctx.locale,
      bi(
        '共治平台由本市各级管理员维护，如有问题请联系所在区县或市级管理员。',
        'The gongzhi platform is run by the city and county administrators: contact your county or the city.',
      ),
    ),
    key_service: pick(
      ctx.locale,
      bi(
        '提交诉求需要 api_key：由区县或市级管理员在管理后台为接入系统签发（每个系统一个，限一个区县），或由运维人员运行 npm run cli -- open311:key 签发。',
        'Submitting needs an api_key: a county or city administrator issues one per client system and county in the console, or an operator runs npm run cli -- open311:key.',
      ),
    ),
    endpoints: [
      { specification: SPECIFICATION, url: baseUrl, changeset, type: 'production', formats: FORMATS },
    ],
  };
}

// Services --------------------------------------------------------------------------------------

interface AttributeValue {
  key: string;
  name: string;
}

interface Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'singlevaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: AttributeValue[];
}

type ItemRow = tickets.ItemRow;

/** The questions a request of this item may answer (all optional): urgency, privacy, building. */
function attributesOf(item: ItemRow, locale: Locale): Attribute[] {
  const yesNo = (yes: { zh: string; en: string }, no: { zh: string; en: string }) => [
    { key: 'true', name: pick(locale, yes) },
    { key: 'false', name: pick(locale, no) },
  ];
  const list: Omit<Attribute, 'order'>[] = [];
  if (!item.urgent)
    list.push({
      variable: true,
      code: 'urgent',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: null,
      description: pick(
        locale,
        bi(
          '是否紧急：正危及人身或财产安全（如燃气泄漏、井盖缺失）。',
          'Urgent: life or property is in danger now (a gas leak, a missing manhole cover).',
        ),
      ),
      values: yesNo(bi('紧急', 'Urgent'), bi('一般', 'Not urgent')),
    });
  list.push({
    variable: true,
    code: 'private',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: null,
    description: pick(
      locale,
      bi(
        '是否不公开：不公开的诉求只有工作人员可见，不出现在公开查询中。',
        'Private: only staff see a private request; it is left out of public queries.',
      ),
    ),
    values: yesNo(bi('不公开', 'Private'), bi('公开', 'Public')),
  });
  list.push({
    variable: true,
    code: 'building',
    datatype: 'string',
    required: false,
    datatype_description: pick(locale, bi('不超过 100 个字', 'At most 100 characters')),
    description: pick(
      locale,
      bi('楼栋、单元或门牌，如“3号楼2单元”。', 'Building, entrance or door, e.g. "Building 3, entrance 2".'),
    ),
    values: [],
  });
  // In the spec's order of fields.
  return list.map((a, i) => ({
    variable: a.variable,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: a.datatype_description,
    order: i + 1,
    description: a.description,
    values: a.values,
  }));
}

/** When the ticket will be accepted and resolved, from its item's limits. */
function notice(
  item: { acceptLimit: string; resolveLimit: string } | null,
  urgent: boolean,
  locale: Locale,
): string | null {
  if (!item) return null;
  const a = formatLimit(parseLimit(item.acceptLimit), locale);
  const r = formatLimit(parseLimit(urgent ? DEFAULT_LIMITS.urgentResolve : item.resolveLimit), locale);
  return locale === 'en'
    ? `It will be accepted within ${a} and resolved within ${r} of acceptance.`
    : `将在 ${a}内受理，受理后 ${r}内办结。`;
}

export async function services(ctx: Ctx, q: Params) {
  await jurisdiction(ctx, q.fields.jurisdiction_id, true);
  const list = await tickets.currentList(ctx.db);
  if (!list) return [];
  const rows = await tickets.itemsOfList(ctx.db, list.id);
  return rows.map(({ item, categoryName }) => ({
    service_code: item.code,
    service_name: item.name,
    description: item.description,
    metadata: attributesOf(item, ctx.locale).length > 0,
    type: 'realtime',
    keywords: item.keywords.join(', '),
    group: categoryName,
  }));
}

async function currentItem(ctx: Ctx, code: string | undefined) {
  if (!code) throw new AppError('open311.service_code_required');
  const list = await tickets.currentList(ctx.db);
  const row = list ? await repo.itemByCode(ctx.db, list.id, code) : undefined;
  if (!row) throw new AppError('open311.service_not_found', { code: clip(code) });
  return row;
}

export async function serviceDefinition(ctx: Ctx, code: string, q: Params) {
  await jurisdiction(ctx, q.fields.jurisdiction_id, true);
  const { item } = await currentItem(ctx, code);
  return { service_code: item.code, attributes: attributesOf(item, ctx.locale) };
}

// Submitting ------------------------------------------------------------------------------------

const Optional = (max: number) => z.string().max(max).optional();

const PostFields = z.object({
  lat: z.coerce.number().min(-90).max(90).optional(),
  long: z.coerce.number().min(-180).max(180).optional(),
  address_string: Optional(200),
  address_id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .optional(),
  email: z.email().max(120).optional(),
  device_id: Optional(100),
  account_id: Optional(100),
  first_name: Optional(40),
  last_name: Optional(40),
  phone: z
    .string()
    .regex(/^\+?[\d\s()-]{5,30}$/)
    .optional(),
  description: Optional(4000),
  media_url: z
    .url({ protocol: /^https?$/ })
    .max(1000)
    .optional(),
});

const HAN = /\p{Script=Han}/u;

/** 张 + 三 → 张三 (family name first); John + Smith → John Smith. */
function fullName(first?: string, last?: string): string | null {
  if (!first && !last) return null;
  if (!first || !last) return (first ?? last) as string;
  return HAN.test(first) || HAN.test(last) ? `${last}${first}` : `${first} ${last}`;
}

/** A mainland mobile number (the one kind the platform can text), or null. */
function mobileOf(phone: string | undefined): string | null {
  const digits = phone?.replace(/[\s()-]/g, '').replace(/^(\+?86)/, '') ?? '';
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

interface Place {
  communityCode: string;
  countyCode: string;
  path: string;
  compoundId: number | null;
}

/** Where it is, inside the county: the compound address_id names, else the point, else a name in the
 * address. A point far from every compound is placed in the nearest compound's community. */
async function placeOf(
  ctx: Ctx,
  countyCode: string,
  input: { lat?: number; long?: number; address_string?: string; address_id?: string },
): Promise<Place> {
  const ofCompound = (c: geo.CompoundRow): Place => ({
    communityCode: c.communityCode,
    countyCode: c.countyCode,
    path: c.path,
    compoundId: c.id,
  });
  const ofCommunity = async (code: string): Promise<Place> => {
    const r = await geo.regionByCode(ctx.db, code);
    if (!r) throw new AppError('open311.location_unplaced');
    return { communityCode: r.code, countyCode, path: r.path, compoundId: null };
  };
  if (input.address_id) {
    const c = await repo.compoundInCounty(ctx.db, Number(input.address_id), countyCode);
    if (!c) throw new AppError('open311.address_not_found', { id: clip(input.address_id) });
    return ofCompound(c);
  }
  if (input.lat !== undefined && input.long !== undefined) {
    const near = await repo.nearestCompoundInCounty(
      ctx.db,
      countyCode,
      input.lat,
      input.long,
      COMPOUND_METRES,
    );
    if (near) return ofCompound(near);
  }
  if (input.address_string) {
    const named = await repo.compoundNamedIn(ctx.db, countyCode, input.address_string);
    if (named) return ofCompound(named);
    const community = await repo.communityNamedIn(ctx.db, countyCode, input.address_string);
    if (community) return ofCommunity(community.code);
  }
  if (input.lat !== undefined && input.long !== undefined) {
    const far = await repo.nearestCompoundInCounty(
      ctx.db,
      countyCode,
      input.lat,
      input.long,
      COMMUNITY_METRES,
    );
    if (far) return ofCommunity(far.communityCode);
  }
  throw new AppError('open311.location_unplaced');
}

function checkAttributes(ctx: Ctx, item: ItemRow, given: Record<string, string[]>) {
  const defs = attributesOf(item, ctx.locale);
  const problems: { field: string }[] = [];
  const value = (code: string): string | undefined => {
    const def = defs.find((d) => d.code === code);
    const vs = given[code] ?? [];
    if (!def || vs.length === 0) return undefined;
    const v = vs[0] as string;
    const ok =
      vs.length === 1 &&
      (def.datatype === 'singlevaluelist' ? def.values.some((x) => x.key === v) : v.length <= 100);
    if (!ok) {
      problems.push({ field: `attribute[${code}]` });
      return undefined;
    }
    return v;
  };
  const urgent = value('urgent') === 'true';
  const isPrivate = value('private') === 'true';
  const building = value('building');
  // Other codes are not ours: ignored, as a form field the service does not ask for.
  if (problems.length) throw fieldError(ctx, problems);
  return { urgent, private: isPrivate, building };
}

/**
 * POST requests: checks the key, the jurisdiction and the service, places the report in the
 * county and creates a ticket (channel 'open311') in one transaction. The ticket goes through the
 * same states, deadlines and audit as any other; the submitter is its contact.
 */
export async function createRequest(ctx: Ctx, params: Params) {
  const f = params.fields;
  const client = await authenticate(ctx, f.api_key);
  const county = await jurisdiction(ctx, f.jurisdiction_id, true);
  if (county.code !== client.countyCode) throw new AppError('open311.jurisdiction_mismatch');
  await limit(ctx.db, `open311:post:${client.id}`, 60, POSTS_PER_MINUTE, ctx.clock.now());
  const { item } = await currentItem(ctx, f.service_code);
  const parsed = PostFields.safeParse(f);
  if (!parsed.success)
    throw fieldError(
      ctx,
      parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? '') })),
    );
  const input = parsed.data;
  if ((input.lat === undefined) !== (input.long === undefined))
    throw fieldError(ctx, [{ field: input.lat === undefined ? 'lat' : 'long' }]);
  if (input.lat === undefined && !input.address_string && !input.address_id)
    throw new AppError('open311.location_required');
  const attrs = checkAttributes(ctx, item, params.attributes);
  const place = await placeOf(ctx, county.code, input);

  const urgent = attrs.urgent || item.urgent;
  const phone = mobileOf(input.phone);
  const created = await intake(ctx, {
    channel: 'open311',
    item,
    description: input.description ?? item.name,
    private: attrs.private,
    urgent,
    reporterUserId: null,
    createdBy: null,
    contactName: fullName(input.first_name, input.last_name),
    contactPhone: phone,
    place: { ...place, buildingId: null },
    lat: input.lat ?? null,
    lng: input.long ?? null,
    placeText: [input.address_string, attrs.building].filter(Boolean).join(' ') || null,
    idempotencyKey: null,
    photoIds: [],
    // What the spec carries that the ticket has no column for; kept for staff, never served.
    eventData: {
      open311: {
        clientId: client.id,
        clientName: client.name,
        email: input.email ?? null,
        phone: phone ? null : (input.phone ?? null),
        accountId: input.account_id ?? null,
        deviceId: input.device_id ?? null,
        mediaUrl: input.media_url ?? null,
        attributes: params.attributes,
      },
    },
    auditDetail: { open311ClientId: client.id },
  });
  if (!('detail' in created)) throw new Error('ticket insert returned no id');
  const { number } = created.detail.ticket;
  await repo.touchClient(ctx.db, client.id, ctx.clock.now());
  return [
    {
      service_request_id: number,
      service_notice: notice(item, urgent, ctx.locale),
      account_id: null,
    },
  ];
}

// Reading ---------------------------------------------------------------------------------------

export interface RequestOut {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: null;
  lat: number | null;
  long: number | null;
  media_url: null;
}

/** About 100 m: enough to find the spot, not a home. */
const coarse = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

async function present(ctx: Ctx, rows: repo.PublicRequestRow[]): Promise<RequestOut[]> {
  const ids = rows.map((r) => r.id);
  const depts = new Map<number, string[]>();
  for (const d of await repo.responsibleDepartments(ctx.db, ids)) {
    const list = depts.get(d.ticketId) ?? [];
    if (!list.includes(d.name)) list.push(d.name);
    depts.set(d.ticketId, list);
  }
  const last = new Map((await repo.lastPublicEvents(ctx.db, ids)).map((e) => [e.ticketId, e]));
  return rows.map((r) => {
    const closed = CLOSED_STATUSES.includes(r.status);
    const note = last.get(r.id)?.note?.trim();
    const item =
      r.acceptLimit && r.resolveLimit ? { acceptLimit: r.acceptLimit, resolveLimit: r.resolveLimit } : null;
    const lat = r.lat ?? r.compoundLat;
    const lng = r.lat === null ? r.compoundLng : r.lng;
    return {
      service_request_id: r.number,
      status: closed ? 'closed' : 'open',
      status_notes: note ? scrub(note) : pick(ctx.locale, STATUS_LABELS[r.status]),
      service_name: r.itemName,
      service_code: r.itemCode,
      description: scrub(r.description),
      agency_responsible: depts.get(r.id)?.join('、') || null,
      service_notice: notice(item, r.urgent, ctx.locale),
      requested_datetime: w3c(r.createdAt),
      updated_datetime: w3c(closed ? (r.closedAt ?? r.updatedAt) : r.updatedAt),
      expected_datetime: r.resolveDueAt ? w3c(r.resolveDueAt) : null,
      address: [r.compoundName, r.communityName, r.townshipName, r.countyName, r.cityName]
        .filter(Boolean)
        .join(', '),
      address_id: r.compoundId === null ? null : String(r.compoundId),
      zipcode: null,
      lat: coarse(lat),
      long: coarse(lng),
      media_url: null,
    };
  });
}

function commaList(v: string | undefined, max: number): string[] | undefined {
  if (v === undefined) return undefined;
  const all = [...new Set(v.split(',').map((s) => s.trim()))].filter(Boolean);
  return all.slice(0, max);
}

/** Reads without a key are counted per address, so nobody pages through the city at full speed. */
async function countRead(ctx: Ctx) {
  await limit(ctx.db, `open311:read:${ctx.ip ?? 'unknown'}`, 60, READS_PER_MINUTE, ctx.clock.now());
}

/**
 * GET requests. service_request_id (a comma list) overrides every other filter; otherwise
 * service_code (comma list), status (open, closed: comma list) and a window of requested_datetime
 * of at most 90 days, the last 90 by default; at most 1000, newest first.
 */
export async function requests(ctx: Ctx, q: Params): Promise<RequestOut[]> {
  await countRead(ctx);
  const county = await jurisdiction(ctx, q.fields.jurisdiction_id, true);
  const numbers = commaList(q.fields.service_request_id, MAX_REQUESTS);
  if (numbers?.length) {
    return present(
      ctx,
      await repo.publicRequests(ctx.db, { countyCode: county.code, numbers }, MAX_REQUESTS),
    );
  }
  const statuses = commaList(q.fields.status, 2);
  if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw fieldError(ctx, [{ field: 'status' }]);
  const { from, before } = dateWindow(ctx, q.fields.start_date, q.fields.end_date);
  const rows = await repo.publicRequests(
    ctx.db,
    {
      countyCode: county.code,
      itemCodes: commaList(q.fields.service_code, 100),
      from,
      before,
      ...(statuses?.length === 1
        ? statuses[0] === 'open'
          ? { statusNotIn: CLOSED_STATUSES }
          : { statusIn: CLOSED_STATUSES }
        : {}),
    },
    MAX_REQUESTS,
  );
  return present(ctx, rows);
}

async function oneRequest(ctx: Ctx, number: string, q: Params) {
  const county = await jurisdiction(ctx, q.fields.jurisdiction_id, false);
  const rows = await repo.publicRequests(ctx.db, { countyCode: county?.code, numbers: [number] }, 1);
  return rows;
}

/** GET requests/{id}: one non-private request (a list of one, as the spec has it), else 404. */
export async function request(ctx: Ctx, number: string, q: Params): Promise<RequestOut[]> {
  await countRead(ctx);
  const rows = await oneRequest(ctx, number, q);
  if (rows.length === 0) throw new AppError('open311.request_not_found', { id: clip(number) });
  return present(ctx, rows);
}

/** GET tokens/{token}: requests are created at once, so a token is the service_request_id itself. */
export async function token(ctx: Ctx, value: string, q: Params) {
  await countRead(ctx);
  const rows = await oneRequest(ctx, value, q);
  const row = rows[0];
  if (!row) throw new AppError('open311.token_not_found', { token: clip(value) });
  return [{ service_request_id: row.number, token: value }];
}
