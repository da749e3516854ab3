import { and, asc, eq, like } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../contracts/roles.ts';
import { buildApp } from '../app.ts';
import { hashPassword } from '../auth/password.ts';
import { memorySmsGateway } from '../auth/sms.ts';
import { grants, users } from '../auth/tables.ts';
import { fixedClock } from '../core/clock.ts';
import type { Db } from '../db/index.ts';
import { childPath, compoundCode, gridCode } from '../geo/paths.ts';
import { importRegions } from '../geo/regions-import.ts';
import { loadPrefecture } from '../geo/regions-source.ts';
import { buildings, compounds, departments, grids, regions } from '../geo/tables.ts';
import { seedResponsibilityList } from '../tickets/seed.ts';
import { createTestDb, type TestDb } from './db.ts';
import { TEST_PII } from './pii.ts';

export const TEST_PASSWORD = 'Test-pass-2026';

let datong: Awaited<ReturnType<typeof loadPrefecture>> | undefined;

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  testDb: TestDb;
  sms: ReturnType<typeof memorySmsGateway>;
  clock: ReturnType<typeof fixedClock>;
  /** GET with a session cookie. */
  get(cookie: string, url: string): Promise<LightMyRequestResponse>;
  /** A write with a session cookie and an optional JSON body. */
  send(
    cookie: string,
    method: 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    payload?: object,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** A community no other test of this app has taken (first under `prefix`, in code order). */
  freshCommunity(prefix?: string, except?: string[]): Promise<string>;
  close(): Promise<void>;
}

/** A migrated database with Datong's real region tree, and the app over it. */
export async function createTestApp(): Promise<TestApp> {
  const testDb = await createTestDb();
  datong ??= await loadPrefecture('140200');
  await importRegions(testDb.db, datong);
  await seedResponsibilityList(testDb.db, new Date('2026-01-01T00:00:00+08:00'));
  const sms = memorySmsGateway();
  const clock = fixedClock(new Date('2026-11-26T08:00:00+08:00'));
  const app = await buildApp({ pii: TEST_PII, db: testDb.db, dbKind: testDb.kind, clock, sms, webDir: null });
  // Tests use the named places of DOMAIN.md (文兴社区, 云冈 …) directly; never hand them out.
  const taken = new Set<string>(['140213066004', '140214038002']);
  return {
    app,
    db: testDb.db,
    testDb,
    sms,
    clock,
    get: (cookie, url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    send: (cookie, method, url, payload, headers = {}) =>
      app.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload } : {}) }),
    async freshCommunity(prefix = '140213', except = []) {
      const rows = await testDb.db
        .select({ code: regions.code })
        .from(regions)
        .where(and(eq(regions.level, 'community'), like(regions.code, `${prefix}%`)))
        .orderBy(asc(regions.code));
      const free = rows.find((r) => !taken.has(r.code) && !except.includes(r.code));
      if (!free) throw new Error(`no free community under ${prefix}`);
      taken.add(free.code);
      return free.code;
    },
    async close() {
      await app.close();
      await testDb.close();
    },
  };
}

let phoneSeq = 0;
/** Phones in the 100-0000-xxxx block, unique per test process. */
export function nextPhone(): string {
  phoneSeq++;
  return `1009${String(process.pid % 1000).padStart(3, '0')}${String(phoneSeq).padStart(4, '0')}`;
}

let passwordHashCache: Promise<string> | undefined;

export async function makeUser(
  db: Db,
  opts: {
    name?: string;
    phone?: string;
    grants?: { role: Role; scopePath: string; nodeKind: string; nodeRef: string; departmentId?: number }[];
  } = {},
) {
  passwordHashCache ??= hashPassword(TEST_PASSWORD);
  const [u] = await db
    .insert(users)
    .values({
      phone: opts.phone ?? nextPhone(),
      name: opts.name ?? '测试用户',
      passwordHash: await passwordHashCache,
    })
    .returning();
  if (!u) throw new Error('no user');
  for (const g of opts.grants ?? []) {
    await db.insert(grants).values({ userId: u.id, ...g });
  }
  return u;
}

export async function regionPath(db: Db, code: string): Promise<string> {
  const [r] = await db.select({ path: regions.path }).from(regions).where(eq(regions.code, code));
  if (!r) throw new Error(`no region ${code}`);
  return r.path;
}

/** A grid, a compound and a building in a community: a fresh subtree for one test. */
export async function makeCompound(db: Db, communityCode: string, name: string) {
  const cPath = await regionPath(db, communityCode);
  const county = communityCode.slice(0, 6);
  const existing = await db
    .select({ id: grids.id })
    .from(grids)
    .where(eq(grids.communityCode, communityCode));
  const gcode = gridCode(communityCode, existing.length + 1);
  const [grid] = await db
    .insert(grids)
    .values({
      code: gcode,
      name: `${name}网格`,
      communityCode,
      countyCode: county,
      path: childPath(cPath, gcode),
    })
    .returning();
  if (!grid) throw new Error('no grid');
  const others = await db
    .select({ id: compounds.id })
    .from(compounds)
    .where(eq(compounds.communityCode, communityCode));
  const code = compoundCode(communityCode, others.length + 1);
  const [compound] = await db
    .insert(compounds)
    .values({
      code,
      name,
      communityCode,
      countyCode: county,
      gridId: grid.id,
      path: childPath(grid.path, code),
    })
    .returning();
  if (!compound) throw new Error('no compound');
  const [building] = await db
    .insert(buildings)
    .values({
      compoundId: compound.id,
      name: '1号楼',
      units: 2,
      floors: 6,
      countyCode: county,
      path: compound.path,
    })
    .returning();
  if (!building) throw new Error('no building');
  return { grid, compound, building };
}

export async function makeDepartment(db: Db, countyCode: string, name: string) {
  const path = await regionPath(db, countyCode);
  const [d] = await db
    .insert(departments)
    .values({ name, type: 'cityManagement', regionCode: countyCode, path })
    .returning();
  if (!d) throw new Error('no department');
  return d;
}

let loginSeq = 0;
/**
 * Logs in through the real endpoint and returns the cookie header for later requests. Each login
 * comes from its own address, so suites that log in hundreds of people never trip the per-IP
 * login throttle (tests of the throttle itself send their own requests).
 */
export async function loginAs(
  app: FastifyInstance,
  phone: string,
  password = TEST_PASSWORD,
): Promise<string> {
  const n = ++loginSeq;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone, password },
    remoteAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
  });
  if (res.statusCode !== 200) throw new Error(`login ${phone} failed: ${res.statusCode} ${res.body}`);
  return cookieOf(res);
}

export function cookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'gz_session');
  if (!c) throw new Error('no session cookie');
  return `gz_session=${c.value}`;
}

/** Someone holding `role` on a region (by code), signed in. */
export async function regionUser(t: TestApp, role: Role, code: string) {
  const user = await makeUser(t.db, {
    grants: [{ role, scopePath: await regionPath(t.db, code), nodeKind: 'region', nodeRef: code }],
  });
  return { user, cookie: await loginAs(t.app, user.phone) };
}

/** Someone holding `role` on a compound, signed in. */
export async function compoundUser(
  t: TestApp,
  role: Role,
  compound: { id: number; path: string },
  phone?: string,
) {
  const user = await makeUser(t.db, {
    phone,
    grants: [{ role, scopePath: compound.path, nodeKind: 'compound', nodeRef: String(compound.id) }],
  });
  return { user, cookie: await loginAs(t.app, user.phone) };
}
