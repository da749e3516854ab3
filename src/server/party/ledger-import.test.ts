import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
import { compoundUser, createTestApp, makeCompound, regionUser, type TestApp } from '../test/app.ts';
import { multipart } from '../test/multipart.ts';
import { makeIdNumber } from './id-number.ts';
import { parseDay } from './ledger-xlsx.ts';
import { partyMemberEvents, partyMembers } from './tables.ts';

let t: TestApp;
let community: string;
let X: { id: number; code: string; path: string; name: string };
let Y: { id: number; code: string; path: string; name: string };
let Z: { id: number; code: string; path: string; name: string };
let ca: { cookie: string };
let cb: { cookie: string };
let sec: { cookie: string };

let seq = 0;
const idNo = (birth = '1968-02-03', sex: 'male' | 'female' = 'female') =>
  makeIdNumber('140211', birth, 2 * ++seq, sex);

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  const other = await t.freshCommunity('140213', [community]);
  X = (await makeCompound(t.db, community, '导入一区')).compound;
  Y = (await makeCompound(t.db, community, '导入二区')).compound;
  Z = (await makeCompound(t.db, other, '导入外区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  sec = await compoundUser(t, 'compoundSecretary', X);
});
afterAll(async () => t?.close());

const HEADERS = [
  '姓名*',
  '身份证号*',
  '手机号',
  '小区*',
  '台账类别*',
  '党员类别',
  '入党日期',
  '特长',
  '流动方向',
  '流向地或来源地',
  '流动党员联系方式',
  '活动证号',
];

/** A workbook as staff fill it in: a header row, then one row per member (cells by header). */
async function workbook(rows: Record<string, string | undefined>[], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员台账');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => r[h.replace('*', '')] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importFile(cookie: string, data: Buffer, query = '') {
  const m = multipart([{ name: 'file', filename: '文兴社区党员.xlsx', data }]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/party/members/import${query}`,
    payload: m.payload,
    // A browser's upload carries its origin (multipart without one is refused as cross-site).
    headers: { ...m.headers, cookie, origin: 'http://localhost' },
  });
}

const members = async () =>
  Number((await t.db.select({ n: sql<number>`count(*)::int` }).from(partyMembers))[0]?.n);

async function sheetRows(buf: Buffer, sheet = 1): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[sheet - 1]?.eachRow((r) =>
    out.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))),
  );
  return out;
}

describe('the member ledger in Excel', () => {
  it('the template has the headers, the instructions and the compounds of the worker’s area only', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/party/members/template.xlsx',
      headers: { cookie: ca.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('党员台账导入模板.xlsx'));
    const [headers] = await sheetRows(res.rawPayload);
    expect(headers?.slice(0, 5)).toEqual(['姓名*', '身份证号*', '手机号', '小区*', '台账类别*']);
    const compounds = await sheetRows(res.rawPayload, 3);
    const codes = compounds.map((r) => r[0]);
    expect(codes).toContain(X.code);
    expect(codes).toContain(Y.code);
    expect(codes).not.toContain(Z.code);
    const help = await sheetRows(res.rawPayload, 2);
    expect(help.some((r) => r[0] === '身份证号' && r[1] === '必填')).toBe(true);
  });

  it('a file with bad rows is refused whole, with the row, column and reason of each; fixed, it imports; again, it updates', async () => {
    const before = await members();
    const good1 = idNo('1950-05-05', 'male');
    const good2 = idNo('1972-08-08', 'female');
    const wrongCheck = `${good1.slice(0, 17)}${good1[17] === '0' ? '1' : '0'}`;
    const rows: Record<string, string | undefined>[] = [
      {
        姓名: '李建华',
        身份证号: good1,
        手机号: '13700000001',
        小区: X.code,
        台账类别: '离退休党员',
        入党日期: '1975/7/1',
        特长: '书法、理发',
      },
      { 姓名: '王秀兰', 身份证号: wrongCheck, 小区: X.name, 台账类别: '直管党员' },
      { 姓名: '赵刚', 身份证号: good2, 小区: '不存在的小区', 台账类别: '在职' },
      { 姓名: '钱多', 身份证号: idNo(), 小区: Y.code, 台账类别: '流动党员', 流动方向: '流出' },
    ];
    const bad = await importFile(ca.cookie, await workbook(rows));
    expect(bad.statusCode, bad.body).toBe(200);
    const r = bad.json();
    expect(r).toMatchObject({ status: 'rejected', rows: 4, problemCount: 5 });
    expect(r.problems).toEqual([
      { row: 3, column: '身份证号', reason: '身份证号校验位不符，请核对是否输错' },
      { row: 4, column: '小区', reason: '找不到小区“不存在的小区”，或它不在您的管辖范围内' },
      { row: 5, column: '流向地或来源地', reason: '流动党员应填写流向地或来源地' },
      { row: 5, column: '流动党员联系方式', reason: '流动党员应填写流动党员联系方式' },
      { row: 5, column: '活动证号', reason: '流动党员应填写活动证号' },
    ]);
    expect(await members()).toBe(before);

    // The report lists the same problems, for the worker to fix the sheet.
    const report = await t.app.inject({
      method: 'GET',
      url: `/api/v1/party/imports/${r.id}/report.xlsx`,
      headers: { cookie: ca.cookie },
    });
    expect(report.statusCode).toBe(200);
    const lines = await sheetRows(report.rawPayload);
    expect(lines[0]).toEqual(['行号', '列', '原因']);
    expect(lines.slice(1, 6).map((l) => l.slice(0, 2))).toEqual([
      ['3', '身份证号'],
      ['4', '小区'],
      ['5', '流向地或来源地'],
      ['5', '流动党员联系方式'],
      ['5', '活动证号'],
    ]);
    // Someone else's report is not theirs to read.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/party/imports/${r.id}/report.xlsx`,
          headers: { cookie: cb.cookie },
        })
      ).statusCode,
    ).toBe(404);

    // Fixed: every row imports, in one go.
    rows[1] = { ...rows[1], 身份证号: idNo('1948-01-02', 'female') };
    rows[2] = { ...rows[2], 小区: Y.name };
    rows[3] = {
      ...rows[3],
      流向地或来源地: '北京市海淀区',
      流动党员联系方式: '13700000009',
      活动证号: 'LD-01',
    };
    const dry = (await importFile(ca.cookie, await workbook(rows), '?dryRun=true')).json();
    expect(dry).toMatchObject({ status: 'checked', created: 4, updated: 0, problemCount: 0 });
    expect(await members()).toBe(before);
    const ok = (await importFile(ca.cookie, await workbook(rows))).json();
    expect(ok).toMatchObject({ status: 'imported', rows: 4, created: 4, updated: 0, unchanged: 0 });
    expect(await members()).toBe(before + 4);
    const [li] = await t.db.select().from(partyMembers).where(eq(partyMembers.phone, '13700000001'));
    expect(li).toMatchObject({
      name: '李建华',
      ledger: 'retired',
      joinedOn: '1975-07-01',
      skills: ['书法', '理发'],
      birthDate: '1950-05-05',
      sex: 'male',
    });

    // Again with a new phone for one and another ledger for another: updated by ID number, not duplicated.
    rows[0] = { ...rows[0], 手机号: '13700000002' };
    rows[2] = { ...rows[2], 台账类别: '直管党员' };
    const again = (await importFile(ca.cookie, await workbook(rows))).json();
    expect(again).toMatchObject({ status: 'imported', created: 0, updated: 2, unchanged: 2 });
    expect(await members()).toBe(before + 4);
    const [zhao] = await t.db.select().from(partyMembers).where(eq(partyMembers.name, '赵刚'));
    expect(zhao?.ledger).toBe('direct');
    const events = await t.db
      .select()
      .from(partyMemberEvents)
      .where(eq(partyMemberEvents.memberId, zhao?.id as number));
    expect(events.map((e) => e.kind)).toEqual(['imported', 'ledgerMoved']);
    expect(events[1]?.reason).toBe('表格导入：文兴社区党员.xlsx');

    // The same people, from another community: refused, nothing changes hands.
    const foreign = (
      await importFile(
        cb.cookie,
        await workbook([{ 姓名: '李建华', 身份证号: good1, 小区: Z.code, 台账类别: '直管党员' }]),
      )
    ).json();
    expect(foreign.status).toBe('rejected');
    expect(foreign.problems[0]).toMatchObject({
      row: 2,
      column: '身份证号',
      reason: expect.stringContaining('已在其他社区登记'),
    });
  });

  it('checks duplicates within the file, headers, and what is not a spreadsheet', async () => {
    const id = idNo();
    const dup = (
      await importFile(
        ca.cookie,
        await workbook([
          { 姓名: '甲', 身份证号: id, 小区: X.code, 台账类别: '直管党员' },
          { 姓名: '乙', 身份证号: id, 小区: X.code, 台账类别: '直管党员' },
        ]),
      )
    ).json();
    expect(dup.problems).toEqual([{ row: 3, column: '身份证号', reason: '与第 2 行的身份证号相同' }]);
    const noId = (
      await importFile(ca.cookie, await workbook([{ 姓名: '甲' }], ['姓名', '小区', '台账类别']))
    ).json();
    expect(noId.problems[0]).toEqual({
      row: 1,
      column: '身份证号',
      reason: '缺少“身份证号”列，请使用导入模板',
    });
    const text = await importFile(ca.cookie, Buffer.from('姓名,身份证号\n张三,1\n'));
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('import.not_xlsx');
    expect(parseDay('1998年7月1日')).toBe('1998-07-01');
    expect(parseDay('1998-02-30')).toBeNull();
  });

  it('exports the filtered list masked, or in full for the community and above; both are audited', async () => {
    const get = (cookie: string, q: string) =>
      t.app.inject({ method: 'GET', url: `/api/v1/party/members/export.xlsx?${q}`, headers: { cookie } });
    const masked = await get(ca.cookie, `compoundId=${X.id}`);
    expect(masked.statusCode).toBe(200);
    const rows = await sheetRows(masked.rawPayload);
    expect(rows[0]?.slice(0, 6)).toEqual(['姓名', '性别', '出生日期', '身份证号', '手机号', '小区']);
    const li = rows.find((r) => r[0] === '李**');
    expect(li?.[3]).toMatch(/^1402\*{10}\d{3}[\dX]$/);
    expect(li?.[4]).toBe('137****0002');
    const full = await sheetRows((await get(ca.cookie, `compoundId=${X.id}&full=true`)).rawPayload);
    expect(full.find((r) => r[0] === '李建华')?.[3]).toMatch(/^140211\d{11}[\dX]$/);
    expect((await get(sec.cookie, 'full=true')).statusCode).toBe(403);
    // The secretary's masked export holds their compound only.
    const secRows = await sheetRows((await get(sec.cookie, '')).rawPayload);
    expect(secRows.slice(1).every((r) => r[6] === X.name)).toBe(true);
    const logged = await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(sql`${auditLog.action} like 'party.member.export%'`);
    expect(logged.map((l) => l.action).sort()).toEqual([
      'party.member.export',
      'party.member.export',
      'party.member.export_full',
    ]);
  });
});
