import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  apiLogin,
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
const PHONE = { width: 390, height: 844 };

/** The six digits the organiser's screen shows now for a phase. */
async function digitsOn(screen: Page, phase: '签到' | '签退') {
  await screen.getByTestId('service-qr-phase').getByText(phase, { exact: true }).click();
  const digits = screen.getByTestId('service-qr-digits');
  await expect.poll(async () => (await digits.getAttribute('data-digits')) ?? '').toMatch(/^\d{6}$/);
  await screen
    .getByTestId('service-qr-display')
    .and(screen.locator(`[data-phase="${phase === '签到' ? 'in' : 'out'}"]`))
    .waitFor();
  return (await digits.getAttribute('data-digits')) as string;
}

/** The member types the digits on their place's card and sees it taken. */
async function typeDigits(
  phone: Page,
  card: Locator,
  testid: 'm-service-type-in' | 'm-service-type-out',
  digits: string,
) {
  await card.getByTestId(testid).click();
  // Leaving before the slot ends: the app says how little would be recorded, and asks first.
  if (testid === 'm-service-type-out') await phone.getByRole('button', { name: '确定签退' }).click();
  await phone.locator('[data-testid=m-service-code-input] input').fill(digits);
  await phone.getByTestId('m-service-code-submit').click();
}

// One server for the phone app's flows below (each browser file starts its own).
beforeAll(async () => {
  if (haveBrowser) server = await startServer();
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!haveBrowser)('volunteer service to a voucher', () => {
  it('a member claims a slot, checks in and out by the organiser’s code, is verified, and spends the points at a merchant once', async () => {
    // A post of 文兴社区 with a slot starting in ten minutes: places can still be claimed, and
    // check-in opens half an hour before the start (the worker publishes it over the API here).
    const worker = await apiLogin(server.url, '10000000004');
    const now = Date.now();
    const post = await api<{ id: number; slots: { id: number }[] }>(
      server.url,
      worker.cookie,
      '/api/v1/service/posts',
      {
        communityCode: '140213066004',
        title: '端到端：社区广场秩序维护',
        kind: 'safety',
        place: '文兴社区广场',
        recipients: '广场活动居民',
        content: '维护广场活动秩序，劝导不文明行为。',
        pointsPerHour: 12,
        slots: [
          {
            startsAt: new Date(now + 10 * 60_000).toISOString(),
            endsAt: new Date(now + 130 * 60_000).toISOString(),
            capacity: 3,
          },
        ],
      },
    );
    const slotId = post.slots[0]?.id as number;
    const member = await apiLogin(server.url, '10000000009');
    const before = (
      await api<{ account: { balance: number } }>(server.url, member.cookie, '/api/v1/me/points')
    ).account.balance;

    await asPerson('service-organiser-screen', async (screen) => {
      await consoleLogin(screen, server.url, '10000000004');
      await screen.goto(`${server.url}/console/service/slots/${slotId}/qr`);
      await screen.getByTestId('service-qr-svg').waitFor();
      const inDigits = await digitsOn(screen, '签到');
      await shot(screen, 'service-00-qr-display');

      await asPerson(
        'service-member',
        async (phone) => {
          await mobileLogin(phone, server.url, '10000000009');
          await phone.goto(`${server.url}/m/service?tab=posts`);
          const card = phone.getByTestId('m-service-post').filter({ hasText: '端到端：社区广场秩序维护' });
          await card.waitFor();
          await shot(phone, 'service-01-posts', card);
          await card.getByTestId('m-service-claim').click();
          await phone.getByRole('button', { name: '确定认领' }).click();
          await card.getByTestId('m-service-my-place').and(phone.locator('[data-status=claimed]')).waitFor();

          await phone.goto(`${server.url}/m/service?tab=mine`);
          const mine = phone
            .getByTestId('m-service-claim-card')
            .filter({ hasText: '端到端：社区广场秩序维护' });
          await mine.waitFor();
          await typeDigits(phone, mine, 'm-service-type-in', inDigits);
          await phone.getByTestId('m-service-result-title').getByText('签到成功').waitFor();
          await shot(phone, 'service-02-checked-in');
          await phone.getByTestId('m-service-outcome-ok').click();

          const outDigits = await digitsOn(screen, '签退');
          await shot(screen, 'service-03-qr-checkout');
          await typeDigits(phone, mine, 'm-service-type-out', outDigits);
          await phone.getByTestId('m-service-result-title').getByText('签退成功').waitFor();
          await shot(phone, 'service-04-checked-out');
          await phone.getByTestId('m-service-outcome-ok').click();
        },
        { viewport: PHONE },
      );
    });

    // The organiser credits the hour served (the member stayed an hour; the scan recorded minutes).
    const claims = await api<{ post: { id: number }; record: { id: number; status: string } | null }[]>(
      server.url,
      member.cookie,
      '/api/v1/me/service/claims',
    );
    const record = claims.find((c) => c.post.id === post.id)?.record;
    expect(record?.status).toBe('pending');
    await asPerson('service-verify', async (page) => {
      await consoleLogin(page, server.url, '10000000004');
      await page.goto(`${server.url}/console/service?tab=verify`);
      await page.getByTestId(`service-verify-adjust-${record?.id}`).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('service-verify-minutes').fill('60');
      await dialog.getByLabel('原因').fill('实际在岗一小时，扫码签退提前');
      await shot(page, 'service-05-verify', dialog);
      await dialog.getByRole('button', { name: '确定' }).click();
      await page.getByText('已调整，现为 12 积分').waitFor();
    });

    // The points arrived, and the member spends them on a voucher.
    const code = await asPerson(
      'service-points',
      async (phone) => {
        await mobileLogin(phone, server.url, '10000000009');
        await phone.goto(`${server.url}/m/points`);
        await phone
          .getByTestId('m-points')
          .getByText(String(before + 12))
          .first()
          .waitFor();
        await phone.getByText('端到端：社区广场秩序维护', { exact: false }).first().waitFor();
        await shot(phone, 'service-06-points-arrived');
        await phone.getByTestId('m-shop-entry').click();
        const offer = phone
          .getByTestId('m-offers')
          .locator('.adm-list-item', { hasText: '米面粮油满 50 元减 5 元' });
        await offer.getByRole('button', { name: '20 分兑换' }).click();
        await phone.getByRole('button', { name: '兑换', exact: true }).click();
        const voucher = phone.getByTestId('m-vouchers').locator('section').first();
        await voucher.getByText('米面粮油满 50 元减 5 元').waitFor();
        return ((await voucher.getByTestId('m-voucher-code').textContent()) ?? '').replace(/\s+/g, '');
      },
      { viewport: PHONE },
    );
    expect(code).toMatch(/^\d{12}$/);
    // 文兴便民超市's counter (10000000011) checks it in once; the same code again is refused.
    await asPerson(
      'service-merchant',
      async (phone) => {
        await mobileLogin(phone, server.url, '10000000011');
        await phone.goto(`${server.url}/m/mine`);
        await phone.getByTestId('m-counter-entry').click();
        await phone.getByLabel('券码').fill(code);
        await phone.getByRole('button', { name: '核销' }).click();
        await phone.getByTestId('m-checked-in').getByText('米面粮油满 50 元减 5 元').waitFor();
        await phone.getByLabel('券码').fill(code);
        await phone.getByRole('button', { name: '核销' }).click();
        await phone.getByRole('alert').getByText('该兑换券已经核销过，不能重复使用。').waitFor();
        await shot(phone, 'service-07-second-refused');
      },
      { viewport: PHONE, allow: /check-in$/ },
    );
  }, 180_000);
});

describe.skipIf(!haveBrowser)('the phone app for elderly residents', () => {
  it('an elderly resident turns on 大字模式 before signing in; it stays on, and 我的 turns it off', async () => {
    await asPerson(
      'elder-mode',
      async (page) => {
        const elder = () => page.evaluate(() => document.documentElement.classList.contains('m-elder'));
        await page.goto(`${server.url}/m/login`);
        expect(await elder()).toBe(false);
        await page.getByTestId('m-elder-toggle').click();
        expect(await elder()).toBe(true);
        expect(await page.evaluate(() => getComputedStyle(document.body).zoom)).toBe('1.2');
        await shot(page, 'elder-00-login');
        await page.reload();
        await page.getByTestId('m-elder-toggle').waitFor();
        expect(await elder()).toBe(true);
        await page.getByLabel('手机号', { exact: true }).first().fill('10000000008');
        await page.getByLabel('密码', { exact: true }).first().fill('Gongzhi@2026');
        await page.getByRole('button', { name: '登录' }).first().click();
        await page.getByTestId('entry-report').waitFor();
        await page.goto(`${server.url}/m/mine`);
        const sw = page.getByTestId('m-elder');
        await expect.poll(() => sw.getAttribute('aria-checked')).toBe('true');
        await shot(page, 'elder-01-mine');
        await sw.click();
        expect(await elder()).toBe(false);
      },
      { viewport: PHONE },
    );
  }, 60_000);

  it('a resident speaks the description of a report where the browser recognises speech', async () => {
    await asPerson(
      'voice-input',
      async (page, context) => {
        // The browser's recognition, answering as a phone's would (no network recogniser in CI).
        // Plain JavaScript: a function here would be compiled with helpers the page does not have.
        await context.addInitScript({
          content: `
            class FakeRecognition {
              constructor() { this.lang = ''; this.onresult = null; this.onerror = null; this.onend = null; }
              start() {
                setTimeout(() => {
                  const alt = Object.assign([{ transcript: '楼下路灯坏了（' + this.lang + '）' }], { isFinal: true });
                  if (this.onresult) this.onresult({ results: [alt] });
                  if (this.onend) this.onend();
                }, 50);
              }
              stop() { if (this.onend) this.onend(); }
            }
            window.SpeechRecognition = FakeRecognition;
            window.webkitSpeechRecognition = FakeRecognition;
          `,
        });
        await mobileLogin(page, server.url, '10000000008');
        await page.getByTestId('entry-report').click();
        const box = page.getByRole('textbox', { name: '问题描述' });
        await box.fill('晚上很黑，');
        await page.getByTestId('report-voice').click();
        await expect.poll(() => box.inputValue()).toBe('晚上很黑，楼下路灯坏了（zh-CN）');
        await shot(page, 'voice-00-heard');
      },
      { viewport: PHONE },
    );
  }, 60_000);
});
