import { and, eq } from 'drizzle-orm';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { makeIdNumber } from '../party/id-number.ts';
import {
  compoundUser,
  createTestApp,
  loginAs,
  makeCompound,
  makeUser,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { checkedNumber, dammDigit, newCertificateNumber } from './certificates.ts';
import { serviceCertificates, servicePosts, serviceRecords } from './tables.ts';

let t: TestApp;
let A: string;
let X: { id: number; path: string };
type Who = { cookie: string };
let caA: Who;
let caB: Who;
let secretary: Who;
let county: Who;
let member: { id: number; cookie: string };
let other: { id: number; cookie: string };
let postId: number;
const NOW = new Date('2026-11-26T08:00:00+08:00');

let seq = 0;
const idNo = () => makeIdNumber('140212', '1978-08-08', 2 * ++seq + 1, 'female');

async function addMember(name: string) {
  const u = await makeUser(t.db, { name });
  const res = await t.send(caA.cookie, 'POST', '/api/v1/party/members', {
    name,
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'inService',
    workUnit: '市某局',
    phone: u.phone,
  });
  expect(res.statusCode, res.body).toBe(200);
  return { id: res.json().id as number, cookie: await loginAs(t.app, u.phone) };
}

async function rec(
  memberId: number,
  serviceDate: string,
  minutes: number,
  activity: string,
  status = 'approved',
) {
  await t.db.insert(serviceRecords).values({
    memberId,
    postId,
    path: X.path,
    activity,
    serviceDate,
    place: '社区广场',
    content: activity,
    method: 'organiser',
    recordedMinutes: minutes,
    minutes: status === 'pending' ? null : minutes,
    organiser: '测试社区',
    status,
    createdAt: NOW,
    updatedAt: NOW,
  });
}

const issue = (who: Who, body: object) => t.send(who.cookie, 'POST', '/api/v1/service/certificates', body);
const verify = (number: string, remoteAddress = '203.0.113.7') =>
  t.app.inject({ method: 'GET', url: `/api/v1/public/service/certificates/${number}`, remoteAddress });

beforeAll(async () => {
  t = await createTestApp();
  A = await t.freshCommunity('140213');
  const B = await t.freshCommunity('140213', [A]);
  X = (await makeCompound(t.db, A, '证明一区')).compound;
  caA = await regionUser(t, 'communityAdmin', A);
  caB = await regionUser(t, 'communityAdmin', B);
  county = await regionUser(t, 'countyAdmin', '140213');
  secretary = await compoundUser(t, 'compoundSecretary', X);
  const [p] = await t.db
    .insert(servicePosts)
    .values({
      communityCode: A,
      path: X.path,
      title: '志愿服务',
      kind: 'care',
      place: '社区广场',
      content: '志愿服务',
      cancelHours: 12,
      createdAt: NOW,
      updatedAt: NOW,
    })
    .returning({ id: servicePosts.id });
  postId = p?.id as number;
  member = await addMember('欧阳明日');
  other = await addMember('别的党员');
  await rec(member.id, '2026-03-05', 120, '关爱独居老人');
  await rec(member.id, '2026-04-10', 90, '楼道清扫');
  await rec(member.id, '2026-06-18', 150, '关爱独居老人');
  await rec(member.id, '2026-07-01', 300, '文明劝导', 'declined');
  await rec(member.id, '2026-08-01', 300, '文明劝导', 'pending');
  await rec(member.id, '2025-12-30', 600, '往年服务');
}, 120_000);
afterAll(async () => t?.close());

describe('certificate numbers', () => {
  it('carry a Damm check digit that catches every single-digit error and adjacent swap', () => {
    expect(dammDigit('572')).toBe(4); // the published example
    for (let i = 0; i < 500; i++) {
      const n = newCertificateNumber(2026);
      expect(n).toMatch(/^GZ2026\d{8}$/);
      expect(checkedNumber(n)).toBe(n);
      expect(checkedNumber(` ${n.toLowerCase()} `)).toBe(n);
    }
    const n = newCertificateNumber(2026);
    const digits = n.slice(2);
    for (let i = 0; i < digits.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue;
        expect(checkedNumber(`GZ${digits.slice(0, i)}${d}${digits.slice(i + 1)}`)).toBeNull();
      }
      if (i + 1 < digits.length && digits[i] !== digits[i + 1]) {
        const swapped = `${digits.slice(0, i)}${digits[i + 1]}${digits[i]}${digits.slice(i + 2)}`;
        expect(checkedNumber(`GZ${swapped}`)).toBeNull();
      }
    }
    expect(checkedNumber('GZ123')).toBeNull();
  });
});

describe('issuing, reading and revoking certificates', () => {
  let issued: { id: number; number: string };

  it('refuses a bad period, an empty one, those below community level and those elsewhere', async () => {
    const body = { memberId: member.id, periodFrom: '2026-01-01', periodTo: '2026-11-26' };
    expect((await issue(caA, { ...body, periodTo: '2026-11-27' })).json().code).toBe(
      'service_certificate.period',
    );
    expect(
      (await issue(caA, { ...body, periodFrom: '2026-12-01', periodTo: '2026-11-01' })).json().code,
    ).toBe('service_certificate.period');
    expect((await issue(caA, { ...body, periodFrom: '2026-09-01' })).json().code).toBe(
      'service_certificate.nothing',
    );
    expect((await issue(secretary, body)).statusCode).toBe(403);
    expect((await issue(caB, body)).statusCode).toBe(404);
    const preview = await t.get(
      caA.cookie,
      `/api/v1/service/certificates/preview?memberId=${member.id}&periodFrom=2026-01-01&periodTo=2026-11-26`,
    );
    expect(preview.json()).toEqual({
      member: { id: member.id, name: '欧***' },
      times: 3,
      hours: 6,
      content: '关爱独居老人（2 次，4.5 小时）；楼道清扫（1 次，1.5 小时）',
      issuer: expect.any(String),
    });
  });

  it('freezes what it certifies under a unique number, once per member and period', async () => {
    const res = await issue(caA, { memberId: member.id, periodFrom: '2026-01-01', periodTo: '2026-11-26' });
    expect(res.statusCode, res.body).toBe(200);
    issued = res.json();
    expect(res.json()).toMatchObject({
      member: { id: member.id, name: '欧***' },
      periodFrom: '2026-01-01',
      periodTo: '2026-11-26',
      times: 3,
      minutes: 360,
      hours: 6,
      status: 'valid',
      can: { revoke: true },
    });
    expect(res.json().idNumber).toMatch(/^\d{6}\*+\d{4}$|\*/);
    expect(checkedNumber(issued.number)).toBe(issued.number);
    expect(
      (await issue(caA, { memberId: member.id, periodFrom: '2026-01-01', periodTo: '2026-11-26' })).json(),
    ).toMatchObject({
      code: 'service_certificate.exists',
    });
    // Later approvals do not change what was certified.
    await rec(member.id, '2026-05-05', 600, '后补服务');
    const list = (await t.get(caA.cookie, `/api/v1/service/certificates?memberId=${member.id}`)).json();
    expect(list.items[0]).toMatchObject({ number: issued.number, minutes: 360 });
    // The number is unique in the database, whatever the generator does.
    const [row] = await t.db.select().from(serviceCertificates).where(eq(serviceCertificates.id, issued.id));
    const { id: _id, ...copy } = row as typeof serviceCertificates.$inferSelect;
    await expect(t.db.insert(serviceCertificates).values(copy)).rejects.toSatisfy((e) =>
      isUniqueViolation(e),
    );
    const [logged] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'service.certificate.issue'), eq(auditLog.entityId, String(issued.id))));
    expect(logged?.detail).toMatchObject({ number: issued.number, times: 3, minutes: 360 });
  });

  it('is listed for staff of its place and the member, not for others', async () => {
    expect((await t.get(caA.cookie, '/api/v1/service/certificates')).json().items).toHaveLength(1);
    expect((await t.get(secretary.cookie, '/api/v1/service/certificates')).json().items).toHaveLength(1);
    expect(
      (
        await t.get(county.cookie, `/api/v1/service/certificates?number=${issued.number.toLowerCase()}`)
      ).json().items,
    ).toHaveLength(1);
    expect((await t.get(caB.cookie, '/api/v1/service/certificates')).json().items).toHaveLength(0);
    const mine = (await t.get(member.cookie, '/api/v1/me/service/certificates')).json();
    expect(mine.map((c: { number: string }) => c.number)).toEqual([issued.number]);
    expect(mine[0].can.revoke).toBe(false);
    expect((await t.get(other.cookie, '/api/v1/me/service/certificates')).json()).toEqual([]);
    expect((await t.get(other.cookie, `/api/v1/me/service/certificates/${issued.id}/pdf`)).statusCode).toBe(
      404,
    );
    expect((await t.get(caB.cookie, `/api/v1/service/certificates/${issued.id}/pdf`)).statusCode).toBe(404);
  });

  it('is a PDF with the number, the figures and where to check it', async () => {
    for (const [cookie, url] of [
      [caA.cookie, `/api/v1/service/certificates/${issued.id}/pdf`],
      [member.cookie, `/api/v1/me/service/certificates/${issued.id}/pdf`],
    ] as const) {
      const res = await t.get(cookie, url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const bytes = new Uint8Array(res.rawPayload);
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      const pdf = await getDocumentProxy(bytes);
      expect(pdf.numPages).toBe(1);
      const { text } = await extractText(pdf, { mergePages: true });
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain('志愿服务证明');
      expect(flat).toContain(issued.number);
      expect(flat).toContain('欧***');
      expect(flat).toContain('累计服务时长6小时');
      expect(flat).toContain(`/m/verify/${issued.number}`);
      expect(flat).not.toContain('欧阳明日');
    }
  });

  it('is checked by anyone by its number, showing masked data only, and is rate-limited', async () => {
    const res = await verify(issued.number);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      number: issued.number,
      name: '欧***',
      times: 3,
      hours: 6,
      periodFrom: '2026-01-01',
      periodTo: '2026-11-26',
      issuer: expect.any(String),
      issuedOn: '2026-11-26',
      status: 'valid',
      revokedOn: null,
    });
    expect(res.body).not.toContain('欧阳明日');
    expect(res.body).not.toMatch(/\d{6}\*|\*{4}\d{4}/);
    // A typo is caught by the check digit; a well-formed unknown number is not found.
    const typo = `${issued.number.slice(0, -2)}${issued.number.at(-1)}${issued.number.at(-2)}`;
    if (typo !== issued.number)
      expect((await verify(typo)).json().code).toBe('service_certificate.bad_number');
    let unknown = newCertificateNumber(2026);
    while (unknown === issued.number) unknown = newCertificateNumber(2026);
    expect((await verify(unknown)).statusCode).toBe(404);
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await verify(issued.number, '198.51.100.9')).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true);
    expect(codes[30]).toBe(429);
  });

  it('is revoked with a reason by the issuing level, audited, and shows as revoked', async () => {
    const url = `/api/v1/service/certificates/${issued.id}/revoke`;
    expect((await t.send(secretary.cookie, 'POST', url, { reason: '有误' })).statusCode).toBe(403);
    expect((await t.send(caB.cookie, 'POST', url, { reason: '有误' })).statusCode).toBe(404);
    expect((await t.send(caA.cookie, 'POST', url, {})).statusCode).toBe(400);
    const res = await t.send(caA.cookie, 'POST', url, { reason: '服务时长录入有误，重新开具' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'revoked',
      revokeReason: '服务时长录入有误，重新开具',
      can: { revoke: false },
    });
    expect((await t.send(county.cookie, 'POST', url, { reason: '再次' })).json().code).toBe(
      'service_certificate.revoked',
    );
    const pub = (await verify(issued.number, '192.0.2.44')).json();
    expect(pub).toMatchObject({ status: 'revoked', revokedOn: '2026-11-26' });
    expect(JSON.stringify(pub)).not.toContain('有误');
    const [logged] = await t.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, 'service.certificate.revoke'), eq(auditLog.entityId, String(issued.id))),
      );
    expect(logged?.detail).toMatchObject({ number: issued.number });
    // The PDF says so; a new one for the same period can now be issued, with the later approval.
    const pdf = await t.get(caA.cookie, `/api/v1/service/certificates/${issued.id}/pdf`);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), {
      mergePages: true,
    });
    expect(text.replace(/\s+/g, '')).toContain('已作废');
    const again = await issue(caA, { memberId: member.id, periodFrom: '2026-01-01', periodTo: '2026-11-26' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ times: 4, hours: 16, status: 'valid' });
    expect(again.json().number).not.toBe(issued.number);
  });
});
