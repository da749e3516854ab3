import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../src/server/party/id-number.ts';
import {
  asPerson,
  browserAvailable,
  consoleLogin,
  mobileLogin,
  type RunningServer,
  shot,
  startServer,
} from './harness.ts';

const haveBrowser = browserAvailable();
let server: RunningServer;

/** A sheet as a community worker fills the template in: headers, then one member per row. */
async function sheet(file: string, rows: Record<string, string | undefined>[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员台账');
  const headers = ['姓名*', '身份证号*', '手机号', '小区*', '台账类别*', '入党日期'];
  ws.addRow(headers);
  for (const r of rows) ws.addRow(headers.map((h) => r[h.replace('*', '')] ?? null));
  await wb.xlsx.writeFile(file);
}

async function upload(page: Page, file: string) {
  await page.getByRole('dialog').locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('import-result').waitFor();
}

describe.skipIf(!haveBrowser)('party ledger in the console', () => {
  beforeAll(async () => {
    server = await startServer();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('a community worker imports a ledger with two bad rows, fixes them from the report, and imports it again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-ledger-'));
    const id = (i: number) =>
      makeIdNumber('140213', `1961-04-0${i + 1}`, 2 * (700 + i), i % 2 ? 'male' : 'female');
    const rows: Record<string, string | undefined>[] = [
      {
        姓名: '范文清',
        身份证号: id(0),
        手机号: '13612340001',
        小区: '绿地璀璨天城小区',
        台账类别: '离退休党员',
        入党日期: '1985-07-01',
      },
      { 姓名: '邹德明', 身份证号: id(1), 小区: '绿地璀璨天城小区', 台账类别: '直管党员' },
      // Two mistakes, as they happen: a mistyped digit, a compound spelled wrong.
      {
        姓名: '龚秀梅',
        身份证号: `${id(2).slice(0, 16)}${(Number(id(2)[16]) + 2) % 10}${id(2)[17]}`,
        小区: '绿地璀璨天城小区',
        台账类别: '在职党员',
      },
      { 姓名: '甘立新', 身份证号: id(3), 小区: '绿地璀灿天城', 台账类别: '直管党员' },
    ];
    const file = path.join(dir, '文兴社区党员台账.xlsx');
    await sheet(file, rows);
    await asPerson(
      'party-import',
      async (page) => {
        await consoleLogin(page, server.url, '10000000004');
        await page.getByRole('menuitem', { name: '党员与组织' }).click();
        await page.getByTestId('ledger-counts').waitFor();
        await shot(page, 'party-00-ledgers');
        await page.getByRole('button', { name: '导入' }).click();
        const dialog = page.getByRole('dialog').filter({ hasText: '导入党员台账' });
        await dialog.getByTestId('ledger-template').waitFor();
        await upload(page, file);
        await dialog.getByText('表格中有 2 处问题，未导入任何数据。').waitFor();
        const problems = dialog.getByTestId('import-problems');
        await problems.getByText('身份证号校验位不符，请核对是否输错').waitFor();
        await problems.getByText('找不到小区“绿地璀灿天城”，或它不在您的管辖范围内').waitFor();
        await shot(page, 'party-01-import-rejected', dialog);

        // The report names the same rows and columns.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          dialog.getByTestId('import-report').click(),
        ]);
        const report = path.join(dir, 'report.xlsx');
        await download.saveAs(report);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(report);
        const lines: string[] = [];
        wb.worksheets[0]?.eachRow((r, n) => {
          if (n > 1 && r.getCell(1).value) lines.push(`${r.getCell(1).value} ${r.getCell(2).value}`);
        });
        expect(lines).toEqual(['4 身份证号', '5 小区']);

        // Fixed in the sheet, imported again: everyone comes in.
        rows[2] = { ...rows[2], 身份证号: id(2) };
        rows[3] = { ...rows[3], 小区: '绿地璀璨天城小区' };
        await sheet(file, rows);
        await upload(page, file);
        await dialog.getByText('已导入：共 4 行，新增 4 人，更新 0 人，0 人无变化。').waitFor();
        await shot(page, 'party-02-import-done', dialog);
        await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
        await dialog.waitFor({ state: 'hidden' });

        // The new members are on the ledger, masked.
        await page.getByPlaceholder('姓名或身份证后四位').fill('龚秀梅');
        await page.getByRole('button', { name: '搜索' }).click();
        const table = page.locator('.ant-table-tbody');
        await table.getByText('龚**').waitFor();
        await table.getByText('在职党员').waitFor();
        await shot(page, 'party-03-imported-member');
      },
      // The rejected import answers 200 with its problems; nothing else may fail.
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('an in-service member registers from the phone, and the community confirms them onto the ledger', async () => {
    const idNumber = makeIdNumber('140213', '1986-10-12', 810, 'male');
    await asPerson(
      'party-register-phone',
      async (page) => {
        await mobileLogin(page, server.url, '10000000008');
        await page.goto(`${server.url}/m/mine`);
        await page.getByText('到居住社区报到（在职党员）').click();
        await page.getByText('在职党员向居住地社区报到').waitFor();
        await page.getByLabel('身份证号').fill(idNumber);
        await page.getByPlaceholder('输入小区名称搜索').fill('绿地璀璨');
        await page.getByText('绿地璀璨天城小区').first().click();
        await page.getByLabel('工作单位').fill('平城区人民医院');
        await page.getByLabel('特长技能').fill('医疗护理');
        await shot(page, 'party-10-register-form');
        await page.getByRole('button', { name: '提交报到' }).click();
        await page.getByTestId('m-registrations').getByText('待社区确认').waitFor();
        await shot(page, 'party-11-register-sent');
      },
      { viewport: { width: 390, height: 844 } },
    );
    await asPerson('party-register-confirm', async (page) => {
      await consoleLogin(page, server.url, '10000000004');
      await page.goto(`${server.url}/console/party?tab=registrations`);
      const row = page.getByTestId('registration-table').locator('tr', { hasText: '平城区人民医院' });
      await row.getByText('待社区确认').waitFor();
      await shot(page, 'party-12-registrations');
      await row.getByRole('button', { name: '确认', exact: true }).click();
      await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
      await page.getByText('已确认，已编入在职党员台账').waitFor();
    });
    await asPerson(
      'party-register-done',
      async (page) => {
        await mobileLogin(page, server.url, '10000000008');
        await page.goto(`${server.url}/m/mine`);
        const mine = page.getByTestId('m-party');
        await mine.getByText('在职党员').waitFor();
        await mine.getByText('绿地璀璨天城小区').waitFor();
        await shot(page, 'party-13-member-record');
      },
      { viewport: { width: 390, height: 844 } },
    );
  }, 120_000);
});
