import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/roles.ts';
import { auditLog } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';
import { openDatabase, runMigrations } from '../db/index.ts';
import { compounds } from '../geo/tables.ts';
import {
  createTestApp,
  loginAs,
  makeCompound,
  makeDepartment,
  makeUser,
  regionPath,
  type TestApp,
} from '../test/app.ts';
import { runCli } from '../test/cli.ts';
import { createTestDb } from '../test/db.ts';
import { ticketEvents, tickets } from '../tickets/tables.ts';
import { open311Clients } from './tables.ts';

const A = '140213'; // 平城区
const B = '140214'; // 云冈区
const BULK = '140221'; // 阳高县: only the 1000-row test puts tickets there
const V2 = '/open311/v2';

let t: TestApp;
const xml = new XMLParser({ parseTagValue: false, ignoreDeclaration: true });
/** One element parses as an object, several as an array: always an array. */
const many = <T>(v: T | T[] | undefined | ''): T[] =>
  v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];

let countyAdmin: string;
let cityAdmin: string;
let apiKey: string;
let clientId: number;
let place: Awaited<ReturnType<typeof world>>;

async function person(role: Role, scope: string, name = '管理员') {
  const u = await makeUser(t.db, {
    name,
    grants: [{ role, scopePath: await regionPath(t.db, scope), nodeKind: 'region', nodeRef: scope }],
  });
  return loginAs(t.app, u.phone);
}

/** A community of county A with a compound at a known point, its admin and a department. */
async function world() {
  const community = await t.freshCommunity(A);
  const { compound } = await makeCompound(t.db, community, `开放${community.slice(-4)}小区`);
  await t.db.update(compounds).set({ lat: 40.09, lng: 113.3 }).where(eq(compounds.id, compound.id));
  const dept = await makeDepartment(t.db, A, `开放城管${community.slice(-6)}`);
  return { community, compound, dept, admin: await person('communityAdmin', community) };
}

async function issue(cookie: string, name: string, countyCode: string) {
  return t.send(cookie, 'POST', '/api/v1/open311/clients', { name, countyCode });
}

function form(fields: Record<string, string>) {
  return new URLSearchParams(fields).toString();
}

function postForm(
  format: 'json' | 'xml',
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `${V2}/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    payload: form(fields),
  });
}

/** A request in compound `place` through the form, as a client system sends it. */
async function submit(extra: Record<string, string> = {}, key = apiKey) {
  const res = await postForm('json', {
    api_key: key,
    jurisdiction_id: A,
    service_code: 'C01-01',
    address_id: String(place.compound.id),
    description: '楼道里堆满了杂物',
    ...extra,
  });
  if (res.statusCode !== 200) throw new Error(`submit: ${res.statusCode} ${res.body}`);
  return res.json()[0].service_request_id as string;
}

async function ticketOf(number: string) {
  const [row] = await t.db.select().from(tickets).where(eq(tickets.number, number));
  if (!row) throw new Error(`no ticket ${number}`);
  return row;
}

function errorsOf(res: LightMyRequestResponse): { code: number; description: string }[] {
  if (res.headers['content-type']?.toString().startsWith('application/json')) return res.json();
  const doc = xml.parse(res.body);
  return many(doc.errors?.error).map((e: { code: string; description: string }) => ({
    code: Number(e.code),
    description: e.description,
  }));
}

/** An error in the spec's shape, in the format the URL asked for, with this status and code. */
function expectError(res: LightMyRequestResponse, status: number, code: string, format: 'json' | 'xml') {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['x-error-code']).toBe(code);
  expect(res.headers['content-type']).toBe(
    format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8',
  );
  if (format === 'xml') expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const errors = errorsOf(res);
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(Object.keys(e).sort()).toEqual(['code', 'description']);
    expect(e.code).toBe(status);
    expect(e.description.length).toBeGreaterThan(0);
  }
  return errors;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  t = await createTestApp();
  countyAdmin = await person('countyAdmin', A, '区管理员');
  cityAdmin = await person('cityAdmin', '140200', '市管理员');
  place = await world();
  const res = await issue(countyAdmin, '12345 热线对接', A);
  if (res.statusCode !== 200) throw new Error(res.body);
  apiKey = res.json().apiKey;
  clientId = res.json().id;
}, 120_000);
afterAll(async () => t?.close());

const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

describe('service discovery', () => {
  it('lists the v2 endpoint with both formats, in JSON and XML (XML without an extension)', async () => {
    const j = await get(`${V2}/discovery.json`);
    expect(j.statusCode).toBe(200);
    expect(j.headers['content-type']).toBe('application/json; charset=utf-8');
    const d = j.json();
    expect(Object.keys(d)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    expect(d.changeset).toMatch(W3C);
    expect(d.contact).not.toBe('');
    expect(d.key_service).toContain('open311:key');
    expect(d.endpoints[0].url).toMatch(/^http:\/\/localhost(:80)?\/open311\/v2$/);
    expect(d.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: d.endpoints[0].url,
        changeset: d.changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ]);

    for (const url of [`${V2}/discovery.xml`, `${V2}/discovery`]) {
      const x = await get(url);
      expect(x.statusCode).toBe(200);
      expect(x.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(x.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
      const doc = xml.parse(x.body).discovery;
      expect(Object.keys(doc)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
      expect(doc.changeset).toBe(d.changeset);
      const [endpoint] = many(doc.endpoints.endpoint);
      expect(endpoint).toEqual({ ...d.endpoints[0], formats: { format: ['text/xml', 'application/json'] } });
    }
  });
});

describe('GET services', () => {
  it('lists the current responsibility list as services, the same in JSON and XML', async () => {
    const j = await get(`${V2}/services.json?jurisdiction_id=${A}`);
    expect(j.statusCode).toBe(200);
    const list = j.json();
    expect(list.length).toBeGreaterThan(50);
    for (const s of list) {
      expect(Object.keys(s)).toEqual([
        'service_code',
        'service_name',
        'description',
        'metadata',
        'type',
        'keywords',
        'group',
      ]);
      expect(s.type).toBe('realtime');
      expect(typeof s.metadata).toBe('boolean');
    }
    expect(list[0]).toMatchObject({
      service_code: 'C01-01',
      service_name: '小区内环境卫生',
      metadata: true,
      group: '市容环境与城市管理',
    });
    expect(list[0].keywords).toMatch(/^卫生, 脏乱差, /);

    const x = await get(`${V2}/services.xml?jurisdiction_id=${A}`);
    expect(x.headers['content-type']).toBe('text/xml; charset=utf-8');
    const services = many(xml.parse(x.body).services.service);
    expect(services).toHaveLength(list.length);
    expect(services[0]).toEqual({ ...list[0], metadata: 'true' });
  });

  it('needs a jurisdiction (400) that is a county (404)', async () => {
    for (const format of ['json', 'xml'] as const) {
      expectError(await get(`${V2}/services.${format}`), 400, 'open311.jurisdiction_required', format);
      expectError(
        await get(`${V2}/services.${format}?jurisdiction_id=140213066`),
        404,
        'open311.jurisdiction_not_found',
        format,
      );
      expectError(
        await get(`${V2}/services.${format}?jurisdiction_id=sfgov.org`),
        404,
        'open311.jurisdiction_not_found',
        format,
      );
    }
  });
});

describe('GET service definition', () => {
  it('gives the attributes of a service, in JSON and XML', async () => {
    const j = await get(`${V2}/services/C01-01.json?jurisdiction_id=${A}`);
    expect(j.statusCode).toBe(200);
    const def = j.json();
    expect(Object.keys(def)).toEqual(['service_code', 'attributes']);
    expect(def.service_code).toBe('C01-01');
    expect(def.attributes.map((a: { code: string }) => a.code)).toEqual(['urgent', 'private', 'building']);
    def.attributes.forEach((a: Record<string, unknown>, i: number) => {
      expect(Object.keys(a)).toEqual([
        'variable',
        'code',
        'datatype',
        'required',
        'datatype_description',
        'order',
        'description',
        'values',
      ]);
      expect(a.order).toBe(i + 1);
      expect(a.variable).toBe(true);
      expect(a.required).toBe(false);
      expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(
        a.datatype,
      );
    });
    expect(def.attributes[0]).toMatchObject({
      datatype: 'singlevaluelist',
      datatype_description: null,
      values: [
        { key: 'true', name: '紧急' },
        { key: 'false', name: '一般' },
      ],
    });

    const x = await get(`${V2}/services/C01-01.xml?jurisdiction_id=${A}`);
    const doc = xml.parse(x.body).service_definition;
    expect(doc.service_code).toBe('C01-01');
    const attrs = many(doc.attributes.attribute);
    expect(attrs).toHaveLength(3);
    expect(attrs[0]).toMatchObject({
      variable: 'true',
      code: 'urgent',
      datatype: 'singlevaluelist',
      required: 'false',
      datatype_description: '',
      order: '1',
      values: {
        value: [
          { key: 'true', name: '紧急' },
          { key: 'false', name: '一般' },
        ],
      },
    });
    // A free-text attribute has no values: an empty list.
    expect(attrs[2]).toMatchObject({ code: 'building', datatype: 'string', values: '' });
  });

  it('an urgent service does not ask whether it is urgent; English on request', async () => {
    const res = await get(`${V2}/services/C02-04.json?jurisdiction_id=${A}`, { 'accept-language': 'en' });
    expect(res.json().attributes.map((a: { code: string }) => a.code)).toEqual(['private', 'building']);
    expect(res.json().attributes[0].values).toEqual([
      { key: 'true', name: 'Private' },
      { key: 'false', name: 'Public' },
    ]);
  });

  it('an unknown service_code is 404, an unknown format 404, in the spec’s error shape', async () => {
    for (const format of ['json', 'xml'] as const) {
      const [e] = expectError(
        await get(`${V2}/services/NOPE.${format}?jurisdiction_id=${A}`),
        404,
        'open311.service_not_found',
        format,
      );
      expect(e?.description).toBe('现行责任清单中没有编号为“NOPE”的事项。');
    }
    expectError(
      await get(`${V2}/services.html?jurisdiction_id=${A}`),
      404,
      'open311.format_not_supported',
      'xml',
    );
    expectError(await get(`${V2}/nothing-here.json`), 404, 'request.not_found', 'json');
  });
});

describe('POST service request', () => {
  it('creates a ticket (channel open311) from a form, answering as the spec’s sample', async () => {
    const res = await postForm('xml', {
      api_key: apiKey,
      jurisdiction_id: A,
      service_code: 'C01-01',
      lat: '40.0901',
      long: '113.3001',
      address_string: '文兴路 8 号',
      email: 'zhang@example.com',
      device_id: 'tt222111',
      account_id: '123456',
      first_name: '三',
      last_name: '张',
      phone: '138 1234 5678',
      description: '3 号楼门口垃圾没人清运',
      media_url: 'http://example.com/p.jpg',
      'attribute[urgent]': 'true',
      'attribute[building]': '3号楼2单元',
      'attribute[other]': 'ignored',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body).toContain('<account_id/>');
    const [r] = many(xml.parse(res.body).service_requests.request);
    expect(Object.keys(r)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(r.service_request_id).toMatch(/^20261126-\d{6}$/);
    // Urgent: resolved within 2 hours instead of the item's 7 days.
    expect(r.service_notice).toBe('将在 2 个工作小时内受理，受理后 2 小时内办结。');

    const ticket = await ticketOf(r.service_request_id);
    expect(ticket).toMatchObject({
      channel: 'open311',
      status: 'submitted',
      urgent: true,
      private: false,
      countyCode: A,
      communityCode: place.community,
      compoundId: place.compound.id,
      contactName: '张三',
      contactPhone: '13812345678',
      reporterUserId: null,
      createdBy: null,
      lat: 40.0901,
      lng: 113.3001,
      place: '文兴路 8 号 3号楼2单元',
      description: '3 号楼门口垃圾没人清运',
    });
    expect(ticket.acceptDueAt?.toISOString()).toBe('2026-11-26T02:30:00.000Z');
    const [submitEvent] = await t.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(submitEvent?.data).toMatchObject({
      channel: 'open311',
      open311: {
        clientId,
        email: 'zhang@example.com',
        mediaUrl: 'http://example.com/p.jpg',
        accountId: '123456',
      },
    });
    const [a] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'ticket.create'), eq(auditLog.entityId, String(ticket.id))));
    expect(a).toMatchObject({ actorUserId: null, detail: { channel: 'open311', open311ClientId: clientId } });
    const [client] = await t.db.select().from(open311Clients).where(eq(open311Clients.id, clientId));
    expect(client?.lastUsedAt?.getTime()).toBe(t.clock.now().getTime());

    // Staff see it in their work list like any other report.
    const list = await t.get(place.admin, '/api/v1/tickets');
    expect(list.json().items.map((i: { number: string }) => i.number)).toContain(r.service_request_id);
  });

  it('accepts JSON too, and answers in JSON as the spec’s sample', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${V2}/requests.json`,
      payload: {
        api_key: apiKey,
        jurisdiction_id: A,
        service_code: 'C01-01',
        address_id: place.compound.id,
        attribute: { private: 'true' },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toHaveLength(1);
    expect(Object.keys(body[0])).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(body[0].account_id).toBeNull();
    expect(body[0].service_notice).toBe('将在 2 个工作小时内受理，受理后 7 天内办结。');
    const ticket = await ticketOf(body[0].service_request_id);
    // No description: the service's name stands in; private as asked.
    expect(ticket).toMatchObject({ description: '小区内环境卫生', private: true, urgent: false });
  });

  it('places a report by a compound named in address_string, or the nearest community of a point', async () => {
    const named = await submit({ address_id: '', address_string: `大同市平城区${place.compound.name}3号楼` });
    expect((await ticketOf(named)).compoundId).toBe(place.compound.id);
    // 3 km from the compound: too far to be in it, near enough to be its community's.
    const far = await submit({ address_id: '', lat: '40.117', long: '113.3' });
    expect(await ticketOf(far)).toMatchObject({ compoundId: null, communityCode: place.community });
    const nowhere = await postForm('json', {
      api_key: apiKey,
      jurisdiction_id: A,
      service_code: 'C01-01',
      address_string: '不存在的地方',
    });
    expectError(nowhere, 400, 'open311.location_unplaced', 'json');
    // A compound of another county is not an address of this one.
    const other = await makeCompound(t.db, await t.freshCommunity(B), '外区小区');
    const foreign = await postForm('json', {
      api_key: apiKey,
      jurisdiction_id: A,
      service_code: 'C01-01',
      address_id: String(other.compound.id),
    });
    expectError(foreign, 400, 'open311.address_not_found', 'json');
  });

  it('403 without a key, with a wrong or revoked one, or for another jurisdiction', async () => {
    const base = { jurisdiction_id: A, service_code: 'C01-01', address_id: String(place.compound.id) };
    for (const format of ['json', 'xml'] as const) {
      expectError(await postForm(format, base), 403, 'open311.api_key_missing', format);
      expectError(
        await postForm(format, { ...base, api_key: 'o311_wrong' }),
        403,
        'open311.api_key_invalid',
        format,
      );
    }
    const revoked = (await issue(countyAdmin, '将被吊销', A)).json();
    expect(await submit({}, revoked.apiKey)).toMatch(/^20261126-/);
    const rv = await t.send(countyAdmin, 'POST', `/api/v1/open311/clients/${revoked.id}/revoke`, {});
    expect(rv.statusCode).toBe(200);
    const [e] = expectError(
      await postForm('json', { ...base, api_key: revoked.apiKey }),
      403,
      'open311.api_key_invalid',
      'json',
    );
    expect(e?.description).toBe('api_key 无效或已被吊销，不能提交诉求。');
    const en = await postForm(
      'json',
      { ...base, api_key: revoked.apiKey },
      { 'accept-language': 'en-US,en' },
    );
    expect(errorsOf(en)[0]?.description).toBe(
      'The api_key is invalid or revoked: the service request cannot be created.',
    );
    // A key of county A may not submit to county B.
    expectError(
      await postForm('json', { ...base, api_key: apiKey, jurisdiction_id: B }),
      403,
      'open311.jurisdiction_mismatch',
      'json',
    );
  });

  it('400 or 404 for what is missing or wrong, saving nothing', async () => {
    const count = async () =>
      (
        await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(tickets)
          .where(eq(tickets.channel, 'open311'))
      )[0]?.n;
    const before = await count();
    const base = {
      api_key: apiKey,
      jurisdiction_id: A,
      service_code: 'C01-01',
      address_id: String(place.compound.id),
    };
    const cases: [Record<string, string>, number, string][] = [
      [{ ...base, jurisdiction_id: '' }, 400, 'open311.jurisdiction_required'],
      [{ ...base, jurisdiction_id: '999999' }, 404, 'open311.jurisdiction_not_found'],
      [{ ...base, service_code: '' }, 400, 'open311.service_code_required'],
      [{ ...base, service_code: 'C99-99' }, 404, 'open311.service_not_found'],
      [{ ...base, address_id: '' }, 400, 'open311.location_required'],
      [{ ...base, address_id: '', lat: '40.09' }, 400, 'open311.invalid_field'],
      [{ ...base, lat: 'north', long: '500' }, 400, 'open311.invalid_field'],
      [{ ...base, email: 'not-an-email' }, 400, 'open311.invalid_field'],
      [{ ...base, media_url: 'javascript:alert(1)' }, 400, 'open311.invalid_field'],
      [{ ...base, 'attribute[urgent]': 'maybe' }, 400, 'open311.invalid_field'],
    ];
    for (const [fields, status, code] of cases) {
      expectError(await postForm('json', fields), status, code, 'json');
    }
    // Each bad field is its own error in the list.
    const two = errorsOf(await postForm('json', { ...base, lat: 'north', long: '500' }));
    expect(two.map((e) => e.description)).toEqual(['参数 lat 的值无效。', '参数 long 的值无效。']);
    expect(await count()).toBe(before);
    // A body that is not a form nor JSON.
    const bad = await t.app.inject({
      method: 'POST',
      url: `${V2}/requests.xml`,
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expectError(bad, 400, 'request.invalid', 'xml');
  });
});

describe('GET service requests', () => {
  it('shows a request with every field of the spec, in JSON and XML, and never personal data', async () => {
    const number = await submit({
      first_name: '三',
      last_name: '张',
      phone: '13812345678',
      email: 'zhang@example.com',
      description: '垃圾堆了一周，请联系我 13912345678，身份证 140202199001011234',
      'attribute[building]': '7号楼1单元301',
      lat: '40.09123',
      long: '113.30456',
    });
    const j = await get(`${V2}/requests/${number}.json?jurisdiction_id=${A}`);
    expect(j.statusCode).toBe(200);
    const [r] = j.json();
    expect(Object.keys(r)).toEqual(REQUEST_FIELDS);
    expect(r).toMatchObject({
      service_request_id: number,
      status: 'open',
      status_notes: '待受理',
      service_name: '小区内环境卫生',
      service_code: 'C01-01',
      description: '垃圾堆了一周，请联系我 139****5678，身份证 140202********1234',
      agency_responsible: null,
      service_notice: '将在 2 个工作小时内受理，受理后 7 天内办结。',
      requested_datetime: '2026-11-26T08:00:00+08:00',
      updated_datetime: '2026-11-26T08:00:00+08:00',
      expected_datetime: null,
      address_id: String(place.compound.id),
      zipcode: null,
      // Coarsened to about 100 m.
      lat: 40.091,
      long: 113.305,
      media_url: null,
    });
    expect(r.address).toMatch(new RegExp(`^${place.compound.name}, .+, .+, 平城区, 大同市$`));
    for (const secret of [
      '张三',
      '13812345678',
      '13912345678',
      'zhang@example.com',
      '7号楼1单元301',
      '140202199001011234',
    ])
      expect(j.body).not.toContain(secret);

    const x = await get(`${V2}/requests/${number}.xml?jurisdiction_id=${A}`);
    const [xr] = many(xml.parse(x.body).service_requests.request);
    expect(Object.keys(xr)).toEqual(REQUEST_FIELDS);
    expect(xr).toMatchObject({
      service_request_id: number,
      status: 'open',
      zipcode: '',
      media_url: '',
      lat: '40.091',
    });
    // Without a jurisdiction too (the number is unique); not in another one.
    expect((await get(`${V2}/requests/${number}.json`)).statusCode).toBe(200);
    expectError(
      await get(`${V2}/requests/${number}.json?jurisdiction_id=${B}`),
      404,
      'open311.request_not_found',
      'json',
    );
    expectError(await get(`${V2}/requests/20000101-999999.xml`), 404, 'open311.request_not_found', 'xml');
  });

  it('follows the ticket: agency, expected time and public notes while open; closed when rejected', async () => {
    const number = await submit();
    const ticket = await ticketOf(number);
    const officer = await makeUser(t.db, {
      name: '城管干部',
      grants: [
        {
          role: 'departmentOfficer',
          scopePath: place.dept.path,
          nodeKind: 'department',
          nodeRef: String(place.dept.id),
          departmentId: place.dept.id,
        },
      ],
    });
    const officerCookie = await loginAs(t.app, officer.phone);
    const act = (cookie: string, body: object) =>
      t.send(cookie, 'POST', `/api/v1/tickets/${ticket.id}/actions`, body);
    const now = async () => (await get(`${V2}/requests/${number}.json`)).json()[0];
    expect((await act(place.admin, { kind: 'accept' })).statusCode).toBe(200);
    expect((await act(place.admin, { kind: 'whistle', departmentIds: [place.dept.id] })).statusCode).toBe(
      200,
    );
    const whistled = await now();
    expect(whistled).toMatchObject({
      status: 'open',
      agency_responsible: place.dept.name,
      status_notes: '已吹哨，待部门报到',
    });
    // Accepted: due to be resolved within the item's 7 days.
    expect(whistled.expected_datetime).toBe('2026-12-03T08:00:00+08:00');
    expect((await act(officerCookie, { kind: 'checkIn', departmentId: place.dept.id })).statusCode).toBe(200);
    // An internal note stays internal; the last public event speaks.
    expect(
      (await act(place.admin, { kind: 'update', note: '内部：已联系王阿姨 13712345678', public: false }))
        .statusCode,
    ).toBe(200);
    const internal = await get(`${V2}/requests/${number}.json`);
    expect(internal.json()[0].status_notes).toBe('处理中');
    expect(internal.body).not.toContain('王阿姨');
    expect((await act(place.admin, { kind: 'update', note: '已安排保洁，明天清运' })).statusCode).toBe(200);
    expect((await now()).status_notes).toBe('已安排保洁，明天清运');
    // English labels on request.
    const en = await get(`${V2}/requests/${number}.json`, { 'accept-language': 'en' });
    expect(en.json()[0].service_notice).toBe(
      'It will be accepted within 2 working hours and resolved within 7 days of acceptance.',
    );

    const second = await submit();
    const t2 = await ticketOf(second);
    const r = await t.send(place.admin, 'POST', `/api/v1/tickets/${t2.id}/actions`, {
      kind: 'reject',
      reason: '不属于本社区管辖，请拨打 12345',
    });
    expect(r.statusCode).toBe(200);
    const [closed] = (await get(`${V2}/requests/${second}.json`)).json();
    expect(closed).toMatchObject({ status: 'closed', status_notes: '不属于本社区管辖，请拨打 12345' });
    expect(closed.updated_datetime).toMatch(W3C);
    const xr = many(xml.parse((await get(`${V2}/requests/${second}.xml`)).body).service_requests.request);
    expect(xr[0]).toMatchObject({ status: 'closed', agency_responsible: '', expected_datetime: '' });
  });

  it('private tickets are invisible: in lists, by id and by token', async () => {
    const hidden = await submit({ 'attribute[private]': 'true' });
    expectError(await get(`${V2}/requests/${hidden}.json`), 404, 'open311.request_not_found', 'json');
    expectError(await get(`${V2}/tokens/${hidden}.json`), 404, 'open311.token_not_found', 'json');
    const list = await get(`${V2}/requests.json?jurisdiction_id=${A}&service_request_id=${hidden}`);
    expect(list.json()).toEqual([]);
    const all = await get(`${V2}/requests.json?jurisdiction_id=${A}`);
    expect(all.json().map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(hidden);
  });

  it('filters by ids, service, status and a window of at most 90 days, the last 90 by default', async () => {
    const { community } = place;
    expect(community).toBeTruthy();
    const at = async (iso: string, extra: Record<string, string> = {}) => {
      t.clock.set(new Date(iso));
      try {
        return await submit(extra);
      } finally {
        t.clock.set(new Date('2026-11-26T08:00:00+08:00'));
      }
    };
    const old = await at('2026-08-01T10:00:00+08:00'); // 117 days before "now"
    const sept = await at('2026-09-15T10:00:00+08:00');
    const stairs = await at('2026-11-20T10:00:00+08:00', { service_code: 'C01-02' });
    const ids = (res: LightMyRequestResponse) => {
      expect(res.statusCode, res.body).toBe(200);
      return res.json().map((r: { service_request_id: string }) => r.service_request_id) as string[];
    };
    const q = (s: string) => get(`${V2}/requests.json?jurisdiction_id=${A}${s}`);

    const recent = ids(await q(''));
    expect(recent).toContain(sept);
    expect(recent).toContain(stairs);
    expect(recent).not.toContain(old);
    // Newest first.
    expect(recent.indexOf(stairs)).toBeLessThan(recent.indexOf(sept));

    expect(ids(await q('&start_date=2026-07-15T00:00:00%2B08:00&end_date=2026-08-15T00:00:00Z'))).toEqual([
      old,
    ]);
    // An unencoded '+' arrives as a space; a date alone is a day in Beijing, the end day included.
    expect(ids(await q('&start_date=2026-08-01T00:00:00+08:00&end_date=2026-08-01'))).toEqual([old]);
    // Only a start: the 90 days from it.
    const fromJuly = ids(await q('&start_date=2026-07-20'));
    expect(fromJuly).toContain(old);
    expect(fromJuly).toContain(sept);
    expect(fromJuly).not.toContain(stairs);
    // Only an end: the 90 days before it.
    expect(ids(await q('&end_date=2026-09-30'))).toContain(old);

    expect(ids(await q('&service_code=C01-02'))).toEqual([stairs]);
    expect(ids(await q('&service_code=C01-02,C99-99&status=open'))).toEqual([stairs]);
    expect(ids(await q('&service_code=C01-02&status=closed'))).toEqual([]);
    // service_request_id overrides every other filter, the window included.
    expect(
      ids(await q(`&service_request_id=${old},${stairs}&status=closed&service_code=C03-01`)).sort(),
    ).toEqual([old, stairs].sort());

    expectError(await q('&start_date=2026-01-01&end_date=2026-06-01'), 400, 'open311.date_range', 'json');
    expectError(await q('&start_date=2026-09-01&end_date=2026-08-01'), 400, 'open311.date_range', 'json');
    expectError(await q('&start_date=yesterday'), 400, 'open311.bad_date', 'json');
    expectError(await q('&start_date=2026-02-30'), 400, 'open311.bad_date', 'json');
    expectError(await q('&end_date=2026-08-01T10:00:00'), 400, 'open311.bad_date', 'json');
    expectError(await q('&status=pending'), 400, 'open311.invalid_field', 'json');
    expectError(await get(`${V2}/requests.xml`), 400, 'open311.jurisdiction_required', 'xml');

    const xmlList = many(
      xml.parse((await get(`${V2}/requests.xml?jurisdiction_id=${A}&service_code=C01-02`)).body)
        .service_requests.request,
    );
    expect(xmlList.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([stairs]);
  });

  it('returns at most 1000 requests, the newest', async () => {
    const community = await t.freshCommunity(BULK);
    const path = await regionPath(t.db, community);
    // 1001 public tickets in the last days, made in one statement.
    await t.db.execute(sql`
      insert into tickets (number, channel, status, description, community_code, county_code, path,
        created_at, updated_at)
      select 'BULK-' || lpad(i::text, 6, '0'), 'app', 'submitted', '路灯不亮', ${community}, ${BULK}, ${path},
        ${t.clock.now().toISOString()}::timestamptz - make_interval(mins => i), ${t.clock.now().toISOString()}::timestamptz
      from generate_series(1, 1001) as i`);
    const res = await get(`${V2}/requests.json?jurisdiction_id=${BULK}`);
    const list = res.json();
    expect(list).toHaveLength(1000);
    expect(list[0].service_request_id).toBe('BULK-000001');
    expect(list[999].service_request_id).toBe('BULK-001000');
    expect(list[0]).toMatchObject({
      service_code: null,
      service_name: null,
      service_notice: null,
      address_id: null,
    });
  });
});

describe('GET service_request_id from a token', () => {
  it('requests are created at once, so the token is the service_request_id', async () => {
    const number = await submit();
    const j = await get(`${V2}/tokens/${number}.json?jurisdiction_id=${A}`);
    expect(j.json()).toEqual([{ service_request_id: number, token: number }]);
    const x = await get(`${V2}/tokens/${number}.xml`);
    expect(many(xml.parse(x.body).service_requests.request)).toEqual([
      { service_request_id: number, token: number },
    ]);
    expectError(await get(`${V2}/tokens/12345.xml`), 404, 'open311.token_not_found', 'xml');
  });
});

describe('keys in the console', () => {
  it('county and city administrators issue keys for their counties only; keys are never listed', async () => {
    const other = await issue(countyAdmin, '外区系统', B);
    expect(other.statusCode).toBe(404);
    const community = await person('communityAdmin', place.community);
    expect((await issue(community, '社区系统', A)).statusCode).toBe(403);
    expect((await t.get(community, '/api/v1/open311/clients')).statusCode).toBe(403);
    expect((await issue(cityAdmin, '云冈区系统', B)).statusCode).toBe(200);
    expect((await issue(cityAdmin, '无此区县', '999999')).statusCode).toBe(404);

    const list = await t.get(countyAdmin, '/api/v1/open311/clients');
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    expect(items.every((c: { countyCode: string }) => c.countyCode === A)).toBe(true);
    expect(items.find((c: { id: number }) => c.id === clientId)).toMatchObject({
      name: '12345 热线对接',
      countyName: '平城区',
      createdByName: '区***',
      revokedAt: null,
      can: { revoke: true },
    });
    expect(list.body).not.toContain(apiKey);
    expect(list.body).not.toContain(createHash('sha256').update(apiKey).digest('hex'));
    const city = (await t.get(cityAdmin, '/api/v1/open311/clients')).json().items;
    expect(new Set(city.map((c: { countyCode: string }) => c.countyCode))).toEqual(new Set([A, B]));

    const [created] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'open311.client.create'), eq(auditLog.entityId, String(clientId))));
    expect(created?.detail).toMatchObject({ countyCode: A, via: 'api' });
    expect(JSON.stringify(created)).not.toContain(apiKey);
  });

  it('revoking is immediate, idempotent and audited once; out of scope it is not found', async () => {
    const c = (await issue(countyAdmin, '临时系统', A)).json();
    const b = (await issue(cityAdmin, '云冈临时', B)).json();
    expect((await t.send(countyAdmin, 'POST', `/api/v1/open311/clients/${b.id}/revoke`, {})).statusCode).toBe(
      404,
    );
    const first = await t.send(countyAdmin, 'POST', `/api/v1/open311/clients/${c.id}/revoke`, {});
    expect(first.json()).toMatchObject({
      id: c.id,
      revokedAt: t.clock.now().toISOString(),
      can: { revoke: false },
    });
    t.clock.advance(60_000);
    const again = await t.send(cityAdmin, 'POST', `/api/v1/open311/clients/${c.id}/revoke`, {});
    expect(again.json().revokedAt).toBe(first.json().revokedAt);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'open311.client.revoke'), eq(auditLog.entityId, String(c.id))));
    expect(audits).toHaveLength(1);
    t.clock.set(new Date('2026-11-26T08:00:00+08:00'));
  });
});

// The command line ---------------------------------------------------------------------------------

const _root = fileURLToPath(new URL('../../..', import.meta.url));

const cli = (args: string[], env: Record<string, string>) => runCli(args, '', env);

/** The key is the last line the command prints. */
const keyOf = (stdout: string) => stdout.trim().split('\n').at(-1) ?? '';

async function expectIssued(db: Db, key: string, name: string) {
  expect(key).toMatch(/^o311_[\w-]{43}$/);
  const [row] = await db
    .select()
    .from(open311Clients)
    .where(eq(open311Clients.keyHash, createHash('sha256').update(key).digest('hex')));
  expect(row).toMatchObject({ name, countyCode: A, createdBy: null, revokedAt: null });
  const [a] = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'open311.client.create'), eq(auditLog.entityId, String(row?.id))));
  expect(a?.detail).toMatchObject({ via: 'cli', countyCode: A });
}

describe('npm run cli -- open311:key', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-o311-'));
    // The embedded directory as a stopped server leaves it.
    const d = await openDatabase({ dataDir: dir });
    try {
      await runMigrations(d.db);
    } finally {
      await d.close();
    }
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('issues a key on the embedded directory, printing it once', async () => {
    const res = await cli(['open311:key', '--name', '市民热线', '--county', A], { DATA_DIR: dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('市民热线');
    const key = keyOf(res.stdout);
    const d = await openDatabase({ dataDir: dir });
    try {
      await expectIssued(d.db, key, '市民热线');
    } finally {
      await d.close();
    }
  }, 120_000);

  it('refuses codes that are not a county, with a clear message, issuing nothing', async () => {
    for (const code of ['999999', '140213066', 'abc']) {
      const res = await cli(['open311:key', '--name', '错误', '--county', code], { DATA_DIR: dir });
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toContain(`没有代码为“${code}”的区县`);
    }
    const d = await openDatabase({ dataDir: dir });
    try {
      expect(await d.db.select().from(open311Clients).where(eq(open311Clients.name, '错误'))).toEqual([]);
    } finally {
      await d.close();
    }
  }, 120_000);
});

describe.runIf(process.env.TEST_DATABASE_URL)('open311:key on DATABASE_URL', () => {
  it('issues a key on a PostgreSQL server', async () => {
    const db = await createTestDb();
    try {
      const res = await cli(['open311:key', '--name', 'PG 热线', '--county', A], {
        DATABASE_URL: db.url ?? '',
      });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      await expectIssued(db.db, keyOf(res.stdout), 'PG 热线');
    } finally {
      await db.close();
    }
  }, 120_000);
});
