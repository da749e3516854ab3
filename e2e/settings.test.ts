import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asPerson,
  browserAvailable,
  consoleLogin as harnessConsoleLogin,
  type RunningServer,
  shot,
  startServer,
} from './harness.ts';

const haveBrowser = browserAvailable();

let server: RunningServer;

/** A console browser; a revoked Open311 key is refused on purpose. */
const as = (
  name: string,
  fn: (page: Page, context: BrowserContext) => Promise<void>,
  viewport = { width: 1440, height: 900 },
) => asPerson(name, fn, { viewport, allow: /\/open311\/v2\/requests\.json$/ });
const consoleLogin = (page: Page, phone: string) => harnessConsoleLogin(page, server.url, phone);

/** The year the page opens on: today's, in Asia/Shanghai. */
const thisYear = () =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

/** One of the year's status notices, once the year has loaded. */
const yearStatus = (page: Page) =>
  page
    .getByTestId('calendar-covered')
    .or(page.getByTestId('calendar-entered'))
    .or(page.getByTestId('calendar-uncovered'));

describe.skipIf(!haveBrowser)('city administrator settings', () => {
  beforeAll(async () => {
    server = await startServer();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('marks a day off with a reason, clears it, and enters the days of a year not built in', async () => {
    await as('settings-calendar', async (page) => {
      await consoleLogin(page, '10000000001');
      await page.getByRole('menuitem', { name: '节假日与调休' }).click();
      await page.getByText('节假日与调休日历').waitFor();
      const year = thisYear();
      await yearStatus(page).waitFor();
      await page.getByTestId('calendar-legend').getByText('法定节假日').waitFor();
      await shot(page, 'settings-00-calendar');

      // An ordinary July workday becomes a day off.
      const plain = page.locator(`[data-date^="${year}-07-"][data-kind="workday"]`).first();
      const date = await plain.getAttribute('data-date');
      if (!date) throw new Error('no workday in July');
      const day = page.locator(`[data-date="${date}"]`);
      await day.click();
      const dialog = page.getByRole('dialog').filter({ hasText: '调整' });
      await dialog.getByText('工作日，上班').waitFor();
      await dialog.getByText('休息日（放假）').click();
      await dialog.getByLabel('原因').fill('防汛应急，全市放假一天');
      await dialog.getByRole('button', { name: '确定' }).click();
      await page.locator(`[data-date="${date}"][data-kind="overrideRest"]`).waitFor();
      await dialog.waitFor({ state: 'hidden' });
      const overrides = page.getByTestId('calendar-overrides');
      await overrides.getByText('防汛应急，全市放假一天').waitFor();
      await expect(overrides.getByText('放假', { exact: true }).count()).resolves.toBe(1);
      await shot(page, 'settings-01-calendar-override', page.getByTestId('calendar-month-7'));

      // Clear it from the day's dialog: the official calendar applies again.
      await day.click();
      await dialog.getByText('当前调整').waitFor();
      await dialog.getByRole('button', { name: '恢复国家安排' }).click();
      await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
      await page.locator(`[data-date="${date}"][data-kind="workday"]`).waitFor();
      await overrides.getByText(`${year} 年还没有调整`).waitFor();

      // A year the built-in table does not know says so (the package ends with 2026).
      let shown = year;
      while (!(await page.getByTestId('calendar-uncovered').isVisible())) {
        if (shown > Math.max(year, 2026) + 1) throw new Error('no uncovered year found');
        shown += 1;
        await page.getByRole('button', { name: '下一年' }).click();
        await page.getByTestId('calendar-year').getByText(`${shown} 年`).waitFor();
        await yearStatus(page).waitFor();
      }
      await page.getByText(`尚无 ${shown} 年的节假日安排`).waitFor();
      await shot(page, 'settings-02-calendar-uncovered');

      // Enter a three-day National Day break in one go.
      await page.locator(`[data-date="${shown}-10-01"]`).click();
      await dialog.getByText(`尚无国家安排`).waitFor();
      await dialog.getByText('休息日（放假）').click();
      await dialog.getByLabel('原因').fill('国庆节放假');
      await dialog.getByLabel('连续天数').fill('3');
      await dialog.getByText('共 3 天').waitFor();
      await shot(page, 'settings-03-calendar-range');
      await dialog.getByRole('button', { name: '确定' }).click();
      await dialog.waitFor({ state: 'hidden' });
      for (const d of ['01', '02', '03'])
        await page.locator(`[data-date="${shown}-10-${d}"][data-kind="overrideRest"]`).waitFor();
      await page.getByTestId('calendar-entered').getByText('已录入 3 天').waitFor();
      await expect(overrides.getByText('国庆节放假').count()).resolves.toBe(3);
      // The next day offers the same reason again.
      await page.locator(`[data-date="${shown}-10-04"]`).click();
      await expect(dialog.getByLabel('原因').inputValue()).resolves.toBe('国庆节放假');
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await shot(page, 'settings-04-calendar-entered', page.getByTestId('calendar-month-10'));
      await shot(page, 'settings-04b-calendar-entered-list', overrides);
    });
  }, 180_000);

  it('issues an Open311 key, shows it once, and revokes it', async () => {
    await as('settings-open311', async (page, context) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await consoleLogin(page, '10000000001');
      await page.getByRole('menuitem', { name: 'Open311 接入密钥' }).click();
      const table = page.getByTestId('open311-table');
      await table.getByText('还没有签发过接入密钥').waitFor();

      await page.getByRole('button', { name: '签发密钥' }).click();
      const form = page.getByRole('dialog', { name: '签发接入密钥' });
      await form.getByLabel('系统名称').fill('12345 政务服务便民热线');
      const county = form.getByLabel('所属县（区）');
      await county.click();
      await county.fill('平城');
      await page.locator('.ant-select-dropdown').getByText('平城区', { exact: true }).waitFor();
      await county.press('Enter');
      await form.getByTitle('平城区').waitFor();
      await form.getByRole('button', { name: '确定' }).click();
      await form.waitFor({ state: 'hidden' });

      const keyDialog = page.getByRole('dialog', { name: '密钥已签发' });
      await keyDialog.getByText('关闭窗口后将无法再次查看').waitFor();
      await keyDialog.getByText('平城区（jurisdiction_id：140213）').waitFor();
      const key = await keyDialog.getByTestId('open311-key').inputValue();
      expect(key).toMatch(/^o311_[\w-]{40,}$/);
      await shot(page, 'settings-05-open311-key');

      await keyDialog.getByRole('button', { name: '复制密钥' }).click();
      await page.getByText('密钥已复制到剪贴板').waitFor();
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(key);
      await keyDialog.getByRole('button', { name: '我已保存，关闭' }).click();
      await keyDialog.waitFor({ state: 'hidden' });

      // Once closed, the key is nowhere on the page; the list shows the system.
      const row = table.locator('tr', { hasText: '12345 政务服务便民热线' });
      await row.getByText('有效').waitFor();
      await row.getByText('从未使用').waitFor();
      expect(await page.content()).not.toContain(key);

      // The key works: past the key check, the request is refused only for what it lacks.
      const submit = (apiKey: string) =>
        page.evaluate(async (k) => {
          const res = await fetch('/open311/v2/requests.json', {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ api_key: k, jurisdiction_id: '140213' }).toString(),
          });
          return res.status;
        }, apiKey);
      await expect(submit(key)).resolves.toBe(400);

      await row.getByRole('button', { name: '吊销' }).click();
      await page.getByText('将立即无法提交诉求').waitFor();
      await page.locator('.ant-popconfirm').getByRole('button', { name: '吊销' }).click();
      await row.getByText('已吊销').waitFor();
      await expect(row.getByRole('button', { name: '吊销' }).count()).resolves.toBe(0);
      await shot(page, 'settings-06-open311-revoked');

      // The revoked key no longer submits.
      await expect(submit(key)).resolves.toBe(403);

      // Both pages in English, for a look (the choice is saved on the account: this test is last).
      await page.getByLabel('语言').click();
      await page.locator('.ant-select-dropdown').getByText('English', { exact: true }).click();
      await page.getByRole('menuitem', { name: 'Open311 keys' }).waitFor();
      await page.getByText('Open311 API keys').waitFor();
      await shot(page, 'settings-07-open311-en');
      await page.getByRole('menuitem', { name: 'Holidays & workdays' }).click();
      await yearStatus(page).waitFor();
      await shot(page, 'settings-08-calendar-en');
      await page.locator(`[data-date="${thisYear()}-10-01"]`).click();
      await page.getByRole('dialog').getByText('Consecutive days').waitFor();
      await shot(page, 'settings-09-calendar-day-en');
    });
  }, 120_000);

  it('shows each administrator only the entries they may use', async () => {
    await as('settings-menu', async (page) => {
      // A county administrator issues keys for their county but does not set the city's calendar.
      await consoleLogin(page, '10000000002');
      await page.getByRole('menuitem', { name: 'Open311 接入密钥' }).waitFor();
      await expect(page.getByRole('menuitem', { name: '节假日与调休' }).count()).resolves.toBe(0);
      await page.goto(`${server.url}/console/calendar`);
      await page.getByText('您没有访问此页面的权限').waitFor();
    });
  }, 60_000);
});
