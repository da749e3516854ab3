import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { freePort, ROOT, startNode } from '../src/server/test/processes.ts';

export const root = ROOT;
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Browser tests need Debian's Chromium. Locally a missing browser skips them with a plain
 * message; in CI (CI=true) it is a failure.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      `CI=true but Chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium).`,
    );
  }
  process.stderr.write(
    `\n[e2e] 未找到 Chromium（${CHROMIUM}），跳过浏览器测试 / Chromium not found: browser tests skipped. Install: apt-get install -y chromium\n\n`,
  );
  return false;
}

export interface RunningServer {
  url: string;
  output: () => string;
  /** SIGTERM, wait for the exit code, remove the data; safe to call twice. */
  stop(): Promise<number | null>;
}

/**
 * The real server as a user starts it (web build, migrations, demo seed), on a fresh embedded
 * data directory, or on a fresh PostgreSQL database when TEST_DATABASE_URL is set.
 */
export async function startServer(): Promise<RunningServer> {
  const { ensureWebBuilt } = await import('../scripts/web-build.ts');
  await ensureWebBuilt({ quiet: true });
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
  };
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.TEST_DATABASE_URL) {
    const name = `gongzhi_e2e_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    dropDb = async () => {
      const a = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  const server = await startNode({
    name: 'gongzhi',
    args: ['src/server/main.ts', '--demo'],
    env,
    port,
    logFile: path.join(dataDir, 'server.log'),
    readyPath: '/api/health',
    readyTimeoutMs: 90_000,
  });
  let stopping: Promise<number | null> | undefined;
  // The log sits in the data directory, which stop() removes: its last words are kept.
  let finalOutput: string | undefined;
  return {
    url: server.url,
    output: () => finalOutput ?? fs.readFileSync(server.logFile, 'utf8'),
    async stop() {
      if (!stopping) {
        stopping = server.kill('SIGTERM').then(async () => {
          const code = server.exitCode();
          finalOutput = fs.readFileSync(server.logFile, 'utf8');
          await dropDb?.();
          fs.rmSync(dataDir, { recursive: true, force: true });
          return code;
        });
      }
      return stopping;
    },
  };
}

export async function launchBrowser(viewport?: { width: number; height: number }): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: viewport ?? { width: 1366, height: 900 },
    locale: 'zh-CN',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The demo accounts' password (README). */
export const DEMO_PASSWORD = 'Gongzhi@2026';

/** Signs a demo account in over the API, for the steps of a flow that are not on screen. */
export async function apiLogin(base: string, phone: string): Promise<{ cookie: string; userId: number }> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${phone}: ${res.status} ${await res.text()}`);
  const me = (await res.json()) as { id: number };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, userId: me.id };
}

/** GET (no body) or POST (a JSON body) as a signed-in account; throws on anything but 2xx. */
export async function api<T>(base: string, cookie: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Screenshots land here so a person can look at what the tests saw. */
export const SHOTS = path.join(root, 'test-results', 'e2e');

/** What the person sees, with `focus` scrolled into view and antd's animations finished. */
export async function shot(page: Page, name: string, focus?: Locator) {
  fs.mkdirSync(SHOTS, { recursive: true });
  if (focus) await focus.scrollIntoViewIfNeeded();
  await page
    .locator('.ant-zoom-appear, .ant-zoom-enter, .ant-zoom-leave, .ant-drawer-panel-motion-enter')
    .first()
    .waitFor({ state: 'detached' });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' });
}

/**
 * A browser for one person, closed afterwards, with a screenshot when the flow fails. Page errors
 * and 5xx answers fail it; so do 4xx answers, except the signed-out check of /api/v1/me and those
 * matching `allow` ('any': a flow that tries refusals of its own).
 */
export async function asPerson<T>(
  name: string,
  fn: (page: Page, context: BrowserContext) => Promise<T>,
  opts: { viewport?: { width: number; height: number }; allow?: RegExp | 'any' } = {},
): Promise<T> {
  const { context, close } = await launchBrowser(opts.viewport ?? { width: 1440, height: 900 });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    const allowed =
      /\/api\/v1\/me$/.test(r.url()) || opts.allow === 'any' || (opts.allow?.test(r.url()) ?? false);
    if (r.status() >= 500 || (r.status() >= 400 && !allowed))
      problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  try {
    const out = await fn(page, context);
    if (problems.length) throw new Error(`unexpected answers or page errors:\n${problems.join('\n')}`);
    return out;
  } catch (e) {
    await shot(page, `${name}-failed`).catch(() => undefined);
    throw e;
  } finally {
    await close();
  }
}

/** Signs in on the phone app; waits for the home page unless the sign-in is meant to fail. */
export async function mobileLogin(page: Page, base: string, phone: string, password = DEMO_PASSWORD) {
  await page.goto(`${base}/m/`);
  await page.getByLabel('手机号', { exact: true }).first().fill(phone);
  await page.getByLabel('密码', { exact: true }).first().fill(password);
  await page.getByRole('button', { name: '登录' }).first().click();
  if (password === DEMO_PASSWORD) await page.getByTestId('entry-report').waitFor();
}

export async function consoleLogin(page: Page, base: string, phone: string) {
  await page.goto(`${base}/console/`);
  await page.getByLabel('手机号', { exact: true }).first().fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).first().click();
  await page.getByTestId('user-name').waitFor();
}

/**
 * Chooses an option of an antd Select with the keyboard, as a user may: focus it, type `search`
 * (when the select searches), take the highlighted option with Enter, and retry until `chosen`
 * shows. Clicking an option while antd's dropdown animates was lost on loaded CI machines, and the
 * dropdown then closed with nothing chosen.
 */
export async function pickWithKeyboard(page: Page, select: Locator, chosen: Locator, search?: string) {
  for (let attempt = 0; attempt < 3 && !(await chosen.isVisible()); attempt++) {
    await select.focus();
    if (search) await select.fill(search);
    else await page.keyboard.press('ArrowDown');
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-active')
      .waitFor({ timeout: 5000 })
      .catch(() => {});
    await page.keyboard.press('Enter');
    await chosen.waitFor({ timeout: 3000 }).catch(() => {});
  }
  await chosen.waitFor();
}
