import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asPerson,
  browserAvailable,
  api as harnessApi,
  apiLogin as harnessLogin,
  mobileLogin as harnessMobileLogin,
  type RunningServer,
  root,
  shot,
  startServer,
} from './harness.ts';

const WORKER = '10000000006';
const RESIDENT = '10000000008';
const COMMUNITY_ADMIN = '10000000004';
const COMPOUND = '绿地璀璨天城小区';
const PHONE = { width: 390, height: 844 };
const haveBrowser = browserAvailable();

let server: RunningServer;
let photoFile: string;
/** The report the worker filed, for the tests after the first. */
let filed: { id: number; number: string } | undefined;

/** An API session: the cookie header and who signed in. */
/** A phone for one person. */
const onPhone = <T>(name: string, fn: (page: Page) => Promise<T>) =>
  asPerson(name, (page) => fn(page), { viewport: PHONE, allow: 'any' });
const mobileLogin = (page: Page, phone: string) => harnessMobileLogin(page, server.url, phone);
const apiLogin = (phone: string) => harnessLogin(server.url, phone);
const api = <T>(cookie: string, url: string, body?: unknown) => harnessApi<T>(server.url, cookie, url, body);

describe.skipIf(!haveBrowser)('a grid worker files a patrol report on the phone', () => {
  beforeAll(async () => {
    server = await startServer();
    fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
    photoFile = path.join(fs.mkdtempSync(path.join(root, 'test-results', 'photo-')), '楼道堆物.jpg');
    const raw = Buffer.alloc(320 * 240 * 3, 140);
    fs.writeFileSync(
      photoFile,
      await sharp(raw, { raw: { width: 320, height: 240, channels: 3 } })
        .jpeg()
        .toBuffer(),
    );
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (photoFile) fs.rmSync(path.dirname(photoFile), { recursive: true, force: true });
  });

  it('reports from the grid, with a photo and the resident concerned, and opens the ticket', async () => {
    // A neighbour already reported something like it: the worker is warned, not offered "+1".
    const resident = await apiLogin(RESIDENT);
    const [home] = await api<{ id: number }[]>(resident.cookie, '/api/v1/me/compounds');
    expect(home).toBeDefined();
    await api(resident.cookie, '/api/v1/tickets', {
      description: '3号楼门口堆放杂物，堵住了消防通道。',
      compoundId: home?.id,
      channel: 'app',
    });

    filed = await onPhone('patrol-worker', async (page) => {
      await mobileLogin(page, WORKER);
      // Only a grid worker sees the patrol entry; the home shows the grid's compounds.
      await page.getByTestId('my-grid').getByText(COMPOUND).waitFor();
      await shot(page, 'patrol-01-home');
      await page.getByTestId('entry-patrol').click();
      await page.getByTestId('report-form').waitFor();
      await page.locator('.m-navbar').getByText('网格巡查上报').waitFor();

      // The compound, from the grid's own list, then the building.
      await page.getByTestId('report-place-pick').click();
      const option = page.locator('.m-sheet-option', { hasText: COMPOUND });
      await page.getByText('您负责网格的小区').waitFor();
      await shot(page, 'patrol-02-grid-compounds');
      await option.click();
      await page.getByTestId('report-place').getByText('本网格').waitFor();
      await page.getByTestId('report-building').click();
      await page.locator('.m-sheet-option', { hasText: '3号楼' }).click();
      await page.getByTestId('report-building').getByText('3号楼').waitFor();

      await page
        .getByPlaceholder('巡查发现了什么问题')
        .fill('巡查发现3号楼门口堆放大量杂物，堵住了消防通道，需尽快清理。');
      await page.locator('input[type=file]').setInputFiles(photoFile);
      await page.locator('.adm-image-uploader-cell img').first().waitFor();

      // The resident concerned: a short number is refused before anything is sent.
      await page.getByLabel('居民姓名').fill('张阿姨');
      await page.getByLabel('居民手机号').fill('1380000');
      await page.getByLabel('居民姓名').click();
      await page.getByText('请输入 11 位手机号').waitFor();
      await page.getByLabel('居民手机号').fill('13800001234');
      await page.getByLabel('居民姓名').click();
      await page.getByText('请输入 11 位手机号').waitFor({ state: 'detached' });
      await page.getByTestId('report-urgent').click();

      // The similar report is a warning with a look at it (over the form), and no "+1".
      const similar = page.getByTestId('similar-list');
      await similar.getByText('3号楼门口堆放杂物').waitFor();
      expect(await page.getByTestId('plus-one').count()).toBe(0);
      await similar.scrollIntoViewIfNeeded();
      await shot(page, 'patrol-03-similar-warning');
      await similar.getByTestId('similar-view').first().click();
      await page.getByTestId('ticket-sheet').getByText('3号楼门口堆放杂物').waitFor();
      await page.getByTestId('ticket-sheet-close').click();
      await page.getByTestId('ticket-sheet').waitFor({ state: 'detached' });
      await expect(page.getByPlaceholder('巡查发现了什么问题').inputValue()).resolves.toContain('消防通道');

      await page.getByTestId('report-submit').click();
      await page.getByTestId('report-done').waitFor();
      const number = (await page.getByTestId('ticket-number').textContent())?.trim() ?? '';
      expect(number).toMatch(/^\d{8}-\d{6}$/);
      await page.getByText('巡查上报成功').waitFor();
      await shot(page, 'patrol-04-done');

      await page.getByTestId('report-view').click();
      await page.getByTestId('ticket-status').waitFor();
      await expect(page.getByTestId('ticket-number').textContent()).resolves.toBe(number);
      await expect(page.getByTestId('ticket-channel').textContent()).resolves.toBe('网格巡查');
      await shot(page, 'patrol-05-ticket');
      return { number, id: Number(new URL(page.url()).pathname.split('/').pop()) };
    });

    // What the server recorded: a patrol ticket keyed in by the worker, for the resident named.
    const worker = await apiLogin(WORKER);
    const ticket = await api<{
      number: string;
      channel: string;
      urgent: boolean;
      buildingId: number | null;
      photoIds: number[];
      contactPhone: string | null;
    }>(worker.cookie, `/api/v1/tickets/${filed.id}`);
    expect(ticket).toMatchObject({ number: filed.number, channel: 'patrol', urgent: true });
    expect(ticket.buildingId).not.toBeNull();
    expect(ticket.photoIds).toHaveLength(1);
    expect(ticket.contactPhone).toMatch(/1234$/);
    // The ticket view does not carry created_by; its creation's audit entry names who keyed it in.
    const admin = await apiLogin(COMMUNITY_ADMIN);
    const audit = await api<{ items: { actorUserId: number | null; entityId: string | null }[] }>(
      admin.cookie,
      '/api/v1/audit?action=ticket.create&limit=50',
    );
    const created = audit.items.find((e) => e.entityId === String(filed?.id));
    expect(created?.actorUserId).toBe(worker.userId);
  }, 120_000);

  it('a resident has no patrol entry, and the patrol address leads to 随手拍', async () => {
    await onPhone('patrol-resident', async (page) => {
      await mobileLogin(page, RESIDENT);
      await page.getByTestId('compound-card').first().waitFor();
      expect(await page.getByTestId('entry-patrol').count()).toBe(0);
      await page.goto(`${server.url}/m/patrol`);
      await page.locator('.m-navbar').getByText('我要反映').waitFor();
      expect(new URL(page.url()).pathname).toBe('/m/report');
    });
  }, 60_000);

  it('the worker finds the report among their own requests', async () => {
    const mine = filed;
    if (!mine) throw new Error('the report was not filed (see the first test)');
    const worker = await apiLogin(WORKER);
    const list = await api<{ items: { id: number }[] }>(worker.cookie, '/api/v1/tickets?view=mine');
    // view=mine lists what one reported, follows, or keyed in for someone else.
    expect(list.items.map((x) => x.id)).toContain(mine.id);
    await onPhone('patrol-mine', async (page) => {
      await mobileLogin(page, WORKER);
      await page.locator('.adm-tab-bar-item', { hasText: '诉求' }).click();
      const card = page.locator(`[data-testid="ticket-card"][data-number="${mine.number}"]`);
      await card.waitFor();
      await shot(page, 'patrol-06-mine');
      await card.click();
      await expect(page.getByTestId('ticket-number').textContent()).resolves.toBe(mine.number);
    });
  }, 60_000);
});
