import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  DEMO_PASSWORD,
  mobileLogin as harnessMobileLogin,
  launchBrowser,
  pickWithKeyboard,
  type RunningServer,
  shot,
  startServer,
} from './harness.ts';

const haveBrowser = browserAvailable();
const mobileLogin = (page: Page, phone: string) => harnessMobileLogin(page, server.url, phone);

/** Any uncaught page error or failed API call (other than the expected ones) fails the flow. */
function watch(page: Page, allowed: RegExp[] = []) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500 || (r.status() >= 400 && !allowed.some((a) => a.test(r.url())))) {
      problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    }
  });
  return problems;
}

let server: RunningServer;

describe.skipIf(!haveBrowser)('browser flows', () => {
  beforeAll(async () => {
    server = await startServer();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('community admin logs in, browses the tree and adds a compound with a building', async () => {
    const { context, close } = await launchBrowser({ width: 1440, height: 900 });
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      const problems = watch(page, [/\/api\/v1\/me$/]);
      await page.goto(`${server.url}/console/`);
      await page.getByLabel('手机号', { exact: true }).first().fill('10000000004');
      await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).first().click();
      await page.getByTestId('user-name').waitFor();

      // A community admin's menu has no city-wide entries.
      await expect(page.getByRole('menuitem', { name: '区划与小区' }).count()).resolves.toBe(1);
      await page.getByRole('menuitem', { name: '区划与小区' }).click();
      const tree = page.getByTestId('region-tree');
      await tree.waitFor();
      // The admin's own community is the root of what they see; nothing outside it is listed.
      await tree.getByText('文兴社区').first().click();
      const compounds = page.getByTestId('compound-table');
      await compounds.getByText('绿地璀璨天城小区').waitFor();
      await expect(tree.getByText('平城区').count()).resolves.toBe(0);
      await shot(page, 'console-01-tree');

      const name = `测试家园${Date.now() % 100000}`;
      await page.getByRole('button', { name: '新增小区' }).click();
      const dialog = page.getByRole('dialog', { name: '新增小区' });
      await dialog.getByLabel('小区名称').fill(name);
      // The first grid, chosen with the keyboard (see pickWithKeyboard).
      await pickWithKeyboard(
        page,
        dialog.getByLabel('所属网格'),
        dialog
          .getByText(/第\d+网格/)
          .filter({ visible: true })
          .first(),
      );
      await dialog.getByLabel('地址').fill('幸福路 1 号');
      await dialog.getByRole('button', { name: '确定' }).click();
      await compounds.getByText(name).waitFor();
      await dialog.waitFor({ state: 'hidden' });

      await compounds.getByText(name).click();
      const buildings = page.getByTestId('building-table');
      await buildings.waitFor();
      await page.getByRole('button', { name: '新增楼栋' }).click();
      const bd = page.getByRole('dialog', { name: '新增楼栋' });
      await bd.getByLabel('楼栋名称').fill('1号楼');
      await bd.getByLabel('单元数').fill('3');
      await bd.getByLabel('层数').fill('18');
      await bd.getByRole('button', { name: '确定' }).click();
      await buildings.getByText('1号楼').waitFor();
      await shot(page, 'console-02-building-added');

      // The write reached the server and is visible to the API, not only to the page.
      const api = await page.evaluate(async (n) => {
        const res = await fetch(`/api/v1/compounds?q=${encodeURIComponent(n)}`);
        return res.json();
      }, name);
      expect(JSON.stringify(api)).toContain(name);
      expect(problems).toEqual([]);
    } catch (e) {
      await shot(page, 'console-failed');
      throw e;
    } finally {
      await close();
    }
  }, 60_000);

  it('resident logs in on a phone and sees their compound', async () => {
    const { context, close } = await launchBrowser({ width: 390, height: 844 });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      // Before login the app asks who is signed in and is told: nobody.
      const problems = watch(page, [/\/api\/v1\/me$/, /\/api\/v1\/auth\/login$/]);
      await page.goto(`${server.url}/m/`);
      // Wrong password first: a clear Chinese message, and the form keeps the phone number.
      await page.getByLabel('手机号', { exact: true }).first().fill('10000000008');
      await page.getByLabel('密码', { exact: true }).first().fill('not-the-password');
      await page.getByRole('button', { name: '登录' }).first().click();
      await page.getByText('手机号或密码不正确').first().waitFor();
      await expect(page.getByLabel('手机号', { exact: true }).first().inputValue()).resolves.toBe(
        '10000000008',
      );
      await page.getByLabel('密码', { exact: true }).first().fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).first().click();
      const card = page.getByTestId('compound-card').first();
      await card.waitFor();
      await expect(card.textContent()).resolves.toContain('绿地璀璨天城小区');
      // Nothing overflows sideways on a 390 px phone.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, 'mobile-01-home');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('remembers the language per user, not per browser', async () => {
    const first = await launchBrowser({ width: 390, height: 844 });
    try {
      const page = first.context.pages()[0] ?? (await first.context.newPage());
      await mobileLogin(page, '10000000009');
      await page.getByText('我的', { exact: true }).last().click();
      await page.getByText('语言', { exact: true }).click();
      await page.getByText('English', { exact: true }).click();
      await page.getByText('Me', { exact: true }).last().waitFor();
    } finally {
      await first.close();
    }
    // A fresh browser (no local storage) starts in Chinese and switches once the member logs in.
    const second = await launchBrowser({ width: 390, height: 844 });
    try {
      const page = second.context.pages()[0] ?? (await second.context.newPage());
      await mobileLogin(page, '10000000009');
      await page.getByText('Me', { exact: true }).last().waitFor();
      await shot(page, 'mobile-02-english');
    } finally {
      await second.close();
    }
  }, 60_000);

  it('on SIGTERM finishes the request in flight, then exits cleanly', async () => {
    // A login whose body is still arriving when the signal comes: deterministic "in flight".
    const body = JSON.stringify({ phone: '10000000008', password: DEMO_PASSWORD });
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => {
      response += d;
    });
    const ended = new Promise((r) => socket.once('close', r));
    socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    const stopped = server.stop();
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body.slice(10));
    await ended;
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('演示居民');
    // Exit code 0 means the database was closed cleanly, not killed by the 15 s fallback.
    await expect(stopped).resolves.toBe(0);
    expect(server.output()).toContain('已停止');
  }, 30_000);
});
