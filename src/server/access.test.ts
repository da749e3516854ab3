import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../contracts/points-states.ts';
import { ROLES, type Role } from '../contracts/roles.ts';
import { files, storeImages } from './core/files.ts';
import { open311Clients } from './open311/tables.ts';
import { makeIdNumber } from './party/id-number.ts';
import { partyMembers } from './party/tables.ts';
import { pointsDeclarations, pointsObjections, pointsPostingRows, pointsPostings } from './points/tables.ts';
import { newCertificateNumber } from './service/certificates.ts';
import { serviceCertificates } from './service/tables.ts';
import {
  createTestApp,
  loginAs,
  makeCompound,
  makeDepartment,
  makeUser,
  regionPath,
  type TestApp,
} from './test/app.ts';
import { testJpeg } from './test/images.ts';

type Side = 'A' | 'B';
let t: TestApp;
const cookies = new Map<Role, string>();
const targets: Record<
  Side,
  {
    community: string;
    township: string;
    compoundId: number;
    buildingId: number;
    gridId: number;
    userId: number;
    ticketId: number;
    photoId: number;
    open311ClientId: number;
    memberId: number;
    orgId: number;
    unitId: number;
    registrationId: number;
    careId: number;
    pairingId: number;
    merchantId: number;
    offerId: number;
    applicationId: number;
    rejectApplicationId: number;
    postId: number;
    slotId: number;
    recordId: number;
    residentPhone: string;
  }
> = {} as never;

const A = { community: '140213066004', township: '140213066', county: '140213' };
const B = { community: '140214038002', township: '140214038', county: '140214' };

beforeAll(async () => {
  t = await createTestApp();
  const a = await makeCompound(t.db, A.community, '矩阵甲小区');
  const b = await makeCompound(t.db, B.community, '矩阵乙小区');
  const deptA = await makeDepartment(t.db, A.county, '矩阵平城区城管局');
  await makeDepartment(t.db, B.county, '矩阵云冈区城管局');
  const node = async (role: Role) => {
    switch (role) {
      case 'resident':
      case 'member':
      case 'compoundSecretary':
        return { scopePath: a.compound.path, nodeKind: 'compound', nodeRef: String(a.compound.id) };
      case 'gridWorker':
        return { scopePath: a.grid.path, nodeKind: 'grid', nodeRef: String(a.grid.id) };
      case 'departmentOfficer':
        return {
          scopePath: deptA.path,
          nodeKind: 'department',
          nodeRef: String(deptA.id),
          departmentId: deptA.id,
        };
      case 'communityAdmin':
      case 'merchant':
      case 'unitAdmin':
        return { scopePath: await regionPath(t.db, A.community), nodeKind: 'region', nodeRef: A.community };
      case 'townshipAdmin':
        return { scopePath: await regionPath(t.db, A.township), nodeKind: 'region', nodeRef: A.township };
      case 'countyAdmin':
        return { scopePath: await regionPath(t.db, A.county), nodeKind: 'region', nodeRef: A.county };
      case 'cityAdmin':
        return { scopePath: await regionPath(t.db, '140200'), nodeKind: 'region', nodeRef: '140200' };
    }
  };
  for (const role of ROLES) {
    const u = await makeUser(t.db, { grants: [{ role, ...(await node(role)) }] });
    cookies.set(role, await loginAs(t.app, u.phone));
  }
  // People to look up: a resident on each side.
  const ua = await makeUser(t.db, {
    grants: [
      { role: 'resident', scopePath: a.compound.path, nodeKind: 'compound', nodeRef: String(a.compound.id) },
    ],
  });
  const ub = await makeUser(t.db, {
    grants: [
      { role: 'resident', scopePath: b.compound.path, nodeKind: 'compound', nodeRef: String(b.compound.id) },
    ],
  });
  // A public ticket with a photo in each compound, reported by that side's resident; side A's is
  // whistled to department A, so its officer may see it.
  const ticketOf = async (reporter: { phone: string; id: number }, compoundId: number) => {
    const cookie = await loginAs(t.app, reporter.phone);
    const [photo] = await storeImages(t.db, [await testJpeg()], {
      createdBy: reporter.id,
      scopePath: '',
      ownerKind: 'ticket',
    });
    const res = await t.send(cookie, 'POST', '/api/v1/tickets', {
      description: '矩阵：楼道灯坏了',
      compoundId,
      photoIds: [photo?.id],
    });
    if (res.statusCode !== 200) throw new Error(res.body);
    return { ticketId: res.json().id as number, photoId: photo?.id as number };
  };
  const tA = await ticketOf(ua, a.compound.id);
  const tB = await ticketOf(ub, b.compound.id);
  const ca = cookies.get('communityAdmin') as string;
  await t.send(ca, 'POST', `/api/v1/tickets/${tA.ticketId}/actions`, { kind: 'accept' });
  const w = await t.send(ca, 'POST', `/api/v1/tickets/${tA.ticketId}/actions`, {
    kind: 'whistle',
    departmentIds: [deptA.id],
  });
  if (w.statusCode !== 200) throw new Error(w.body);
  // An Open311 client system on each side.
  const o311 = { A: 0, B: 0 };
  for (const [side, county] of [
    ['A', A.county],
    ['B', B.county],
  ] as const) {
    const [c] = await t.db
      .insert(open311Clients)
      .values({
        name: `矩阵接入${side}`,
        countyCode: county,
        keyHash: side.repeat(64),
        createdAt: new Date(),
      })
      .returning();
    o311[side] = c?.id as number;
  }
  // Party records on each side: three members and the branch they make.
  const party = {
    A: {
      memberId: 0,
      orgId: 0,
      unitId: 0,
      registrationId: 0,
      careId: 0,
      pairingId: 0,
      merchantId: 0,
      offerId: 0,
      applicationId: 0,
      rejectApplicationId: 0,
    },
    B: {
      memberId: 0,
      orgId: 0,
      unitId: 0,
      registrationId: 0,
      careId: 0,
      pairingId: 0,
      merchantId: 0,
      offerId: 0,
      applicationId: 0,
      rejectApplicationId: 0,
    },
  };
  const city = cookies.get('cityAdmin') as string;
  for (const [side, s, compoundId] of [
    ['A', A, a.compound.id],
    ['B', B, b.compound.id],
  ] as const) {
    for (let i = 0; i < 3; i++) {
      const m = await t.send(city, 'POST', '/api/v1/party/members', {
        name: `矩阵党员${side}${i}`,
        idNumber: makeIdNumber('140202', '1965-04-04', (side === 'A' ? 100 : 200) + i * 2, 'male'),
        compoundId,
        ledger: 'direct',
      });
      if (m.statusCode !== 200) throw new Error(m.body);
      party[side].memberId = m.json().id;
    }
    const o = await t.send(city, 'POST', '/api/v1/party/orgs', {
      kind: 'branch',
      name: `矩阵支部${side}`,
      communityCode: s.community,
      compoundIds: [compoundId],
    });
    if (o.statusCode !== 200) throw new Error(o.body);
    party[side].orgId = o.json().id;
    // A household in difficulty (包联), paired with the last member.
    const care = await t.send(city, 'POST', '/api/v1/party/care', {
      headName: `矩阵困难户${side}`,
      compoundId,
      kinds: ['elderlyAlone'],
    });
    if (care.statusCode !== 200) throw new Error(care.body);
    const paired = await t.send(city, 'POST', `/api/v1/party/care/${care.json().id}/pairings`, {
      memberId: party[side].memberId,
    });
    if (paired.statusCode !== 200) throw new Error(paired.body);
    party[side].careId = care.json().id;
    party[side].pairingId = paired.json().pairings[0].id;
    // A merchant of the community with one offer (积分兑换).
    const merchant = await t.send(city, 'POST', '/api/v1/points/merchants', {
      name: `矩阵商家${side}`,
      communityCode: s.community,
    });
    if (merchant.statusCode !== 200) throw new Error(merchant.body);
    const offer = await t.send(city, 'POST', `/api/v1/points/merchants/${merchant.json().id}/offers`, {
      title: '矩阵优惠',
      category: 'food',
      price: 1,
      stock: 5,
      validFrom: '2026-11-01',
      validUntil: '2026-12-31',
    });
    if (offer.statusCode !== 200) throw new Error(offer.body);
    party[side].merchantId = merchant.json().id;
    party[side].offerId = offer.json().id;
    // Two applications to join as a merchant, waiting for the community: one to approve, one to reject.
    const owner = await loginAs(t.app, (await makeUser(t.db)).phone);
    for (const key of ['applicationId', 'rejectApplicationId'] as const) {
      const applied = await t.send(owner, 'POST', '/api/v1/me/points/merchant-applications', {
        communityCode: s.community,
        name: `矩阵入驻${side}${key}`,
        categories: ['food'],
        contactName: '矩阵店主',
        contactPhone: '13900000001',
      });
      if (applied.statusCode !== 200) throw new Error(applied.body);
      party[side][key] = applied.json().id;
    }
    // A co-building unit registered with the community, and a member's registration waiting there.
    const unit = await t.send(city, 'POST', '/api/v1/party/units', {
      name: `矩阵共建单位${side}`,
      communityCode: s.community,
    });
    if (unit.statusCode !== 200) throw new Error(unit.body);
    const someone = await makeUser(t.db);
    const reg = await t.send(await loginAs(t.app, someone.phone), 'POST', '/api/v1/me/party/registrations', {
      name: `矩阵报到${side}`,
      idNumber: makeIdNumber('140202', '1975-05-05', side === 'A' ? 300 : 400, 'male'),
      compoundId,
      workUnit: '矩阵单位',
    });
    if (reg.statusCode !== 200) throw new Error(reg.body);
    Object.assign(party[side], { unitId: unit.json().id, registrationId: reg.json().id });
  }
  // 志愿服务: a compound's post with a slot that began an hour ago, and a member's record on it.
  const svc = {} as Record<Side, { postId: number; slotId: number; recordId: number }>;
  for (const [side, compoundId] of [
    ['A', a.compound.id],
    ['B', b.compound.id],
  ] as const) {
    const now = t.clock.now().getTime();
    const post = await t.send(city, 'POST', '/api/v1/service/posts', {
      compoundId,
      title: `矩阵岗位${side}`,
      kind: 'care',
      place: '矩阵活动室',
      content: '矩阵服务',
      slots: [
        {
          startsAt: new Date(now - 3_600_000).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
          capacity: 3,
        },
      ],
    });
    if (post.statusCode !== 200) throw new Error(post.body);
    const slotId = post.json().slots[0].id;
    const rec = await t.send(city, 'POST', `/api/v1/service/slots/${slotId}/records`, {
      memberId: party[side].memberId,
      minutes: 30,
    });
    if (rec.statusCode !== 200) throw new Error(rec.body);
    svc[side] = { postId: post.json().id, slotId, recordId: rec.json().id };
  }
  targets.A = {
    community: A.community,
    township: A.township,
    compoundId: a.compound.id,
    buildingId: a.building.id,
    gridId: a.grid.id,
    userId: ua.id,
    ...tA,
    open311ClientId: o311.A,
    ...party.A,
    ...svc.A,
    residentPhone: ua.phone,
  };
  targets.B = {
    community: B.community,
    township: B.township,
    compoundId: b.compound.id,
    buildingId: b.building.id,
    gridId: b.grid.id,
    userId: ub.id,
    ...tB,
    open311ClientId: o311.B,
    ...party.B,
    ...svc.B,
    residentPhone: ub.phone,
  };
}, 120_000);
afterAll(async () => t?.close());

// 志愿服务证明: one for each side's member, written directly (issuing is service/certificates.test.ts's).
const certs = {} as Record<Side, { id: number; number: string }>;
const certOf = (s: (typeof targets)['A']) => certs[s === targets.A ? 'A' : 'B'];
beforeAll(async () => {
  for (const side of ['A', 'B'] as Side[]) {
    const [m] = await t.db.select().from(partyMembers).where(eq(partyMembers.id, targets[side].memberId));
    if (!m) throw new Error('no member');
    const [c] = await t.db
      .insert(serviceCertificates)
      .values({
        number: newCertificateNumber(2026),
        memberId: m.id,
        nameMasked: '矩*',
        idMasked: m.idMasked,
        periodFrom: '2026-01-01',
        periodTo: '2026-11-25',
        times: 1,
        minutes: 60,
        content: '矩阵服务（1 次，1 小时）',
        issuer: '矩阵社区',
        path: m.path,
        issuedAt: t.clock.now(),
      })
      .returning();
    certs[side] = { id: c?.id as number, number: c?.number as string };
  }
});

// 自主申报 and 季度公示: a declaration with a photo, and a posting with an objection, for each side's
// member, written directly (their flows are points/declarations.test.ts's and posting.test.ts's).
const pts = {} as Record<
  Side,
  { declarationId: number; photoId: number; postingId: number; objectionId: number }
>;
const ptsOf = (s: (typeof targets)['A']) => pts[s === targets.A ? 'A' : 'B'];
beforeAll(async () => {
  for (const side of ['A', 'B'] as Side[]) {
    const [m] = await t.db.select().from(partyMembers).where(eq(partyMembers.id, targets[side].memberId));
    if (!m) throw new Error('no member');
    const [photo] = await storeImages(t.db, [await testJpeg()], {
      createdBy: null,
      scopePath: m.path,
      ownerKind: 'points_declaration',
    });
    const [d] = await t.db
      .insert(pointsDeclarations)
      .values({
        memberId: m.id,
        path: m.path,
        source: 'activity',
        description: '矩阵申报',
        fileIds: [photo?.id as number],
        points: 5,
        createdAt: t.clock.now(),
      })
      .returning();
    await t.db
      .update(files)
      .set({ ownerId: d?.id })
      .where(eq(files.id, photo?.id as number));
    const [p] = await t.db
      .insert(pointsPostings)
      .values({
        communityCode: m.communityCode,
        path: await regionPath(t.db, m.communityCode),
        year: 2026,
        quarter: 3,
        frozenAt: t.clock.now(),
        objectionUntil: '2026-12-31',
      })
      .returning();
    await t.db.insert(pointsPostingRows).values({
      postingId: p?.id as number,
      memberId: m.id,
      orgId: m.orgId,
      nameMasked: '矩*',
      points: 5,
      communityRank: 1,
    });
    const [o] = await t.db
      .insert(pointsObjections)
      .values({ postingId: p?.id as number, memberId: m.id, text: '矩阵异议', createdAt: t.clock.now() })
      .returning();
    pts[side] = {
      declarationId: d?.id as number,
      photoId: photo?.id as number,
      postingId: p?.id as number,
      objectionId: o?.id as number,
    };
  }
});

const STAFF: Role[] = [
  'gridWorker',
  'compoundSecretary',
  'departmentOfficer',
  'communityAdmin',
  'townshipAdmin',
  'countyAdmin',
  'cityAdmin',
];
const ADMIN: Role[] = ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'];
/** Who reaches side B: only the city administrator. */
const inScope = (role: Role, side: Side) => side === 'A' || role === 'cityAdmin';

let seq = 0;
interface RouteCase {
  name: string;
  req: (s: (typeof targets)['A']) => {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    url: string;
    payload?: object;
    headers?: Record<string, string>;
  };
  expect: (role: Role, side: Side) => number;
}

/** Read of a row in the geo tree: staff see their subtree, everyone else sees nothing. */
const geoRead = (role: Role, side: Side) => {
  if (!STAFF.includes(role) || !inScope(role, side)) return 404;
  return 200;
};
const geoWrite = (writers: Role[]) => (role: Role, side: Side) => {
  const read = geoRead(role, side);
  if (read !== 200) return read;
  return writers.includes(role) ? 200 : 403;
};
const adminOnly = (needsScope: boolean) => (role: Role, side: Side) => {
  if (!ADMIN.includes(role)) return 403;
  if (needsScope && !inScope(role, side)) return 404;
  return 200;
};

/**
 * A public ticket in compound A, whistled to department A: area staff, that department and the
 * compound's residents see it; side B's is seen only by the city.
 */
const ticketRead = (role: Role, side: Side) => {
  if (role === 'merchant' || role === 'unitAdmin') return 404;
  if (role === 'resident' || role === 'member' || role === 'departmentOfficer')
    return side === 'A' ? 200 : 404;
  return inScope(role, side) ? 200 : 404;
};

const PARTY: Role[] = ['compoundSecretary', 'communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'];
/** Party records: refused to everyone but party-work roles; outside their area, not found. */
const partyRead = (role: Role, side: Side) => {
  if (!PARTY.includes(role)) return 403;
  return inScope(role, side) ? 200 : 404;
};
/** Organisations: set up by the community and above; the compound secretary may only look. */
const orgWrite = (role: Role, side: Side) => {
  const read = partyRead(role, side);
  return read === 200 && role === 'compoundSecretary' ? 403 : read;
};

/** Open311 keys: county and city administrators, for the counties in their area. */
const open311Issuer = (needsScope: boolean) => (role: Role, side: Side) => {
  if (role !== 'countyAdmin' && role !== 'cityAdmin') return 403;
  if (needsScope && !inScope(role, side)) return 404;
  return 200;
};

const ROUTES: RouteCase[] = [
  { name: 'GET /me', req: () => ({ method: 'GET', url: '/api/v1/me' }), expect: () => 200 },
  {
    name: 'GET /me/compounds',
    req: () => ({ method: 'GET', url: '/api/v1/me/compounds' }),
    expect: () => 200,
  },
  { name: 'GET /me/sessions', req: () => ({ method: 'GET', url: '/api/v1/me/sessions' }), expect: () => 200 },
  {
    name: 'GET /regions/children?parent=township',
    req: (s) => ({ method: 'GET', url: `/api/v1/regions/children?parent=${s.township}` }),
    expect: geoRead,
  },
  {
    name: 'GET /regions/:community',
    req: (s) => ({ method: 'GET', url: `/api/v1/regions/${s.community}` }),
    expect: geoRead,
  },
  {
    name: 'GET /regions/search',
    req: () => ({ method: 'GET', url: '/api/v1/regions/search?q=社区' }),
    expect: () => 200,
  },
  {
    name: 'GET /grids?community',
    req: (s) => ({ method: 'GET', url: `/api/v1/grids?community=${s.community}` }),
    expect: geoRead,
  },
  {
    name: 'POST /grids',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/grids',
      payload: { communityCode: s.community, name: `矩阵网格${++seq}` },
    }),
    expect: geoWrite(ADMIN),
  },
  {
    name: 'PATCH /grids/:id',
    req: (s) => ({ method: 'PATCH', url: `/api/v1/grids/${s.gridId}`, payload: {} }),
    expect: (role, side) => {
      // A compound secretary's scope is below the grid: the grid itself is not theirs to see.
      if (role === 'compoundSecretary' && side === 'A') return 404;
      return geoWrite(ADMIN)(role, side);
    },
  },
  { name: 'GET /compounds', req: () => ({ method: 'GET', url: '/api/v1/compounds' }), expect: () => 200 },
  {
    name: 'GET /compounds/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/compounds/${s.compoundId}` }),
    expect: geoRead,
  },
  {
    name: 'PATCH /compounds/:id',
    req: (s) => ({
      method: 'PATCH',
      url: `/api/v1/compounds/${s.compoundId}`,
      payload: { address: `矩阵路${++seq}号` },
    }),
    expect: geoWrite(ADMIN),
  },
  {
    name: 'POST /compounds',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/compounds',
      payload: { communityCode: s.community, gridId: s.gridId, name: `矩阵新小区${++seq}` },
    }),
    expect: geoWrite(ADMIN),
  },
  {
    name: 'DELETE /compounds/:id (has a building: refused after access passes)',
    req: (s) => ({ method: 'DELETE', url: `/api/v1/compounds/${s.compoundId}` }),
    expect: (role, side) => {
      const w = geoWrite(ADMIN)(role, side);
      return w === 200 ? 409 : w;
    },
  },
  {
    name: 'GET /compounds/:id/buildings',
    req: (s) => ({ method: 'GET', url: `/api/v1/compounds/${s.compoundId}/buildings` }),
    expect: geoRead,
  },
  {
    name: 'POST /compounds/:id/buildings',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/compounds/${s.compoundId}/buildings`,
      payload: { name: `${++seq}号楼`, units: 2, floors: 6 },
    }),
    expect: geoWrite([...ADMIN, 'compoundSecretary']),
  },
  {
    name: 'GET /buildings/:id/households',
    req: (s) => ({ method: 'GET', url: `/api/v1/buildings/${s.buildingId}/households` }),
    expect: geoRead,
  },
  { name: 'GET /departments', req: () => ({ method: 'GET', url: '/api/v1/departments' }), expect: () => 200 },
  // Compound names and buildings are public: anyone signed in may report a problem anywhere.
  {
    name: 'GET /places/compounds',
    req: () => ({ method: 'GET', url: '/api/v1/places/compounds?q=矩阵' }),
    expect: () => 200,
  },
  {
    name: 'GET /places/compounds/:id/buildings',
    req: (s) => ({ method: 'GET', url: `/api/v1/places/compounds/${s.compoundId}/buildings` }),
    expect: () => 200,
  },
  { name: 'GET /users', req: () => ({ method: 'GET', url: '/api/v1/users' }), expect: adminOnly(false) },
  {
    name: 'GET /users/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/users/${s.userId}` }),
    expect: adminOnly(true),
  },
  {
    name: 'POST /users/:id/reveal',
    req: (s) => ({ method: 'POST', url: `/api/v1/users/${s.userId}/reveal`, payload: {} }),
    expect: adminOnly(true),
  },
  {
    name: 'PATCH /users/:id',
    req: (s) => ({ method: 'PATCH', url: `/api/v1/users/${s.userId}`, payload: {} }),
    expect: adminOnly(true),
  },
  {
    name: 'POST /users/:id/grants',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/users/${s.userId}/grants`,
      payload: { role: 'member', nodeRef: String(s.compoundId) },
    }),
    expect: (role, side) => {
      const r = adminOnly(true)(role, side);
      return r;
    },
  },
  {
    name: 'POST /users',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        phone: `1008${String(++seq).padStart(7, '0')}`,
        name: '矩阵新人',
        grant: { role: 'resident', nodeRef: String(s.compoundId) },
      },
    }),
    // Reaching the compound needs an administrator over it; an out-of-scope compound is not found.
    expect: (role, side) => (!ADMIN.includes(role) ? 403 : inScope(role, side) ? 200 : 404),
  },
  { name: 'GET /audit', req: () => ({ method: 'GET', url: '/api/v1/audit' }), expect: adminOnly(false) },
  {
    name: 'GET /open311/clients',
    req: () => ({ method: 'GET', url: '/api/v1/open311/clients' }),
    expect: open311Issuer(false),
  },
  {
    name: 'POST /open311/clients',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/open311/clients',
      payload: { name: `矩阵系统${++seq}`, countyCode: s.community.slice(0, 6) },
    }),
    expect: open311Issuer(true),
  },
  {
    // Revoking again changes nothing and is allowed: the city follows the county here.
    name: 'POST /open311/clients/:id/revoke',
    req: (s) => ({ method: 'POST', url: `/api/v1/open311/clients/${s.open311ClientId}/revoke`, payload: {} }),
    expect: open311Issuer(true),
  },
  {
    name: 'GET /responsibility/items',
    req: () => ({ method: 'GET', url: '/api/v1/responsibility/items' }),
    expect: () => 200,
  },
  {
    name: 'GET /departments/types',
    req: () => ({ method: 'GET', url: '/api/v1/departments/types' }),
    expect: (role) => (STAFF.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /responsibility/lists',
    req: () => ({ method: 'GET', url: '/api/v1/responsibility/lists' }),
    expect: (role) => (STAFF.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /responsibility/lists/:version',
    req: () => ({ method: 'GET', url: '/api/v1/responsibility/lists/2026-1' }),
    expect: (role) => (STAFF.includes(role) ? 200 : 403),
  },
  {
    // A dry run, so the matrix publishes nothing; access is decided before the document is read.
    name: 'POST /responsibility/lists',
    req: () => ({
      method: 'POST',
      url: '/api/v1/responsibility/lists?dryRun=true',
      payload: {
        version: `matrix-${++seq}`,
        categories: [{ code: 'C01', name: '矩阵类别' }],
        items: [
          {
            code: 'C01-01',
            categoryCode: 'C01',
            name: '矩阵事项',
            handlerLevel: 'community',
            limits: { accept: '2wh', checkIn: '1wd', resolve: '7d' },
          },
        ],
      },
    }),
    expect: (role) => (role === 'cityAdmin' ? 200 : 403),
  },
  // Anyone signed in may report a problem anywhere in the city (a road, a neighbour's compound).
  {
    name: 'POST /tickets',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { description: `矩阵诉求${++seq}`, compoundId: s.compoundId },
    }),
    expect: () => 200,
  },
  { name: 'GET /tickets', req: () => ({ method: 'GET', url: '/api/v1/tickets' }), expect: () => 200 },
  {
    name: 'POST /tickets/suggest',
    req: () => ({ method: 'POST', url: '/api/v1/tickets/suggest', payload: { text: '暖气不热' } }),
    expect: () => 200,
  },
  {
    name: 'GET /calendar/:year',
    req: () => ({ method: 'GET', url: '/api/v1/calendar/2027' }),
    expect: (role) => (STAFF.includes(role) ? 200 : 403),
  },
  {
    name: 'PUT /calendar/days/:date',
    req: () => ({
      method: 'PUT',
      url: '/api/v1/calendar/days/2027-06-01',
      payload: { workday: true, note: '矩阵' },
    }),
    expect: (role) => (role === 'cityAdmin' ? 200 : 403),
  },
  {
    name: 'DELETE /calendar/days/:date',
    req: () => ({ method: 'DELETE', url: '/api/v1/calendar/days/2027-06-01' }),
    expect: (role) => (role === 'cityAdmin' ? 200 : 403),
  },
  // Everyone has their own notices.
  { name: 'GET /notices', req: () => ({ method: 'GET', url: '/api/v1/notices' }), expect: () => 200 },
  {
    name: 'POST /notices/read',
    req: () => ({ method: 'POST', url: '/api/v1/notices/read', payload: { ids: 'all' } }),
    expect: () => 200,
  },
  {
    name: 'GET /tickets/similar',
    req: (s) => ({ method: 'GET', url: `/api/v1/tickets/similar?compoundId=${s.compoundId}&text=灯坏了` }),
    expect: () => 200,
  },
  {
    // Access passes for everyone signed in; a JSON body is then refused as not multipart.
    name: 'POST /tickets/photos',
    req: () => ({ method: 'POST', url: '/api/v1/tickets/photos', payload: {} }),
    expect: () => 400,
  },
  {
    name: 'GET /tickets/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/tickets/${s.ticketId}` }),
    expect: ticketRead,
  },
  {
    name: 'GET /tickets/:id/photos/:fileId',
    req: (s) => ({ method: 'GET', url: `/api/v1/tickets/${s.ticketId}/photos/${s.photoId}?variant=thumb` }),
    expect: ticketRead,
  },
  {
    // Supervision: township and above; others who can see it are the wrong party (403); neighbours
    // and strangers do not work on it at all (404).
    name: 'POST /tickets/:id/actions',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/tickets/${s.ticketId}/actions`,
      payload: { kind: 'supervise', note: '请加快办理' },
    }),
    expect: (role, side) => {
      const read = ticketRead(role, side);
      if (read !== 200 || role === 'resident' || role === 'member') return 404;
      return ['townshipAdmin', 'countyAdmin', 'cityAdmin'].includes(role) ? 200 : 403;
    },
  },
  {
    // Staff working on the ticket see where it may go (an empty list for a department); residents never.
    name: 'GET /tickets/:id/transfer-targets',
    req: (s) => ({ method: 'GET', url: `/api/v1/tickets/${s.ticketId}/transfer-targets` }),
    expect: (role, side) => (role === 'resident' || role === 'member' ? 404 : ticketRead(role, side)),
  },
  {
    // Staff working on the ticket (area staff, the whistled department); residents never.
    name: 'POST /tickets/:id/reveal-contact',
    req: (s) => ({ method: 'POST', url: `/api/v1/tickets/${s.ticketId}/reveal-contact`, payload: {} }),
    expect: (role, side) => (role === 'resident' || role === 'member' ? 404 : ticketRead(role, side)),
  },
  // Party records: party-work roles of the place (compound secretary, community and above).
  {
    name: 'GET /party/members',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/members?compoundId=${s.compoundId}` }),
    // Scoped by the WHERE clause: outside their area the list is empty, not refused.
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'POST /party/members',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/party/members',
      payload: {
        name: '矩阵新党员',
        idNumber: makeIdNumber('140202', '1970-07-07', 2 * ++seq, 'female'),
        compoundId: s.compoundId,
        ledger: 'retired',
      },
    }),
    expect: partyRead,
  },
  {
    name: 'GET /party/members/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/members/${s.memberId}` }),
    expect: partyRead,
  },
  {
    // A correction that changes nothing: access is what is checked.
    name: 'PATCH /party/members/:id',
    req: (s) => ({
      method: 'PATCH',
      url: `/api/v1/party/members/${s.memberId}`,
      payload: { version: 1, frail: false },
    }),
    expect: partyRead,
  },
  ...(['ledger', 'status', 'colour'] as const).map(
    (what): RouteCase => ({
      // The first allowed caller changes the record; later ones get a 400/409 after access passed.
      name: `POST /party/members/:id/${what}`,
      req: (s) => ({
        method: 'POST',
        url: `/api/v1/party/members/${s.memberId}/${what}`,
        payload: {
          version: 1,
          reason: '矩阵',
          ...(what === 'ledger'
            ? { ledger: 'retired' }
            : what === 'status'
              ? { status: 'transferredOut' }
              : { colour: 'blue' }),
        },
      }),
      expect: partyRead,
    }),
  ),
  {
    name: 'POST /party/members/:id/reveal',
    req: (s) => ({ method: 'POST', url: `/api/v1/party/members/${s.memberId}/reveal`, payload: {} }),
    expect: (role, side) => {
      const read = partyRead(role, side);
      return read === 200 && role === 'compoundSecretary' ? 403 : read;
    },
  },
  {
    name: 'GET /party/ledgers',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/ledgers?compoundId=${s.compoundId}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /party/orgs',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/orgs?community=${s.community}` }),
    expect: partyRead,
  },
  {
    // A committee: the first allowed caller sets it up, later ones are told it exists (409).
    name: 'POST /party/orgs',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/party/orgs',
      payload: { kind: 'committee', name: '矩阵社区党委', communityCode: s.community },
    }),
    expect: orgWrite,
  },
  {
    name: 'PATCH /party/orgs/:id',
    req: (s) => ({
      method: 'PATCH',
      url: `/api/v1/party/orgs/${s.orgId}`,
      payload: { name: `矩阵支部${s === targets.A ? 'A' : 'B'}` },
    }),
    expect: orgWrite,
  },
  {
    // Into itself: refused (400) once access has passed.
    name: 'POST /party/orgs/:id/merge',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/orgs/${s.orgId}/merge`,
      payload: { intoId: s.orgId, reason: '矩阵' },
    }),
    expect: orgWrite,
  },
  {
    name: 'POST /party/orgs/:id/dissolve',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/orgs/${s.orgId}/dissolve`,
      payload: { reason: '矩阵' },
    }),
    expect: orgWrite,
  },
  {
    name: 'GET /party/members/template.xlsx',
    req: () => ({ method: 'GET', url: '/api/v1/party/members/template.xlsx' }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    // Scoped by the WHERE clause, like the list.
    name: 'GET /party/members/export.xlsx',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/members/export.xlsx?compoundId=${s.compoundId}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /party/imports',
    req: () => ({ method: 'GET', url: '/api/v1/party/imports' }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /party/colour-schemes/:county',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/colour-schemes/${s.community.slice(0, 6)}` }),
    expect: partyRead,
  },
  {
    name: 'PUT /party/colour-schemes/:county',
    req: (s) => ({
      method: 'PUT',
      url: `/api/v1/party/colour-schemes/${s.community.slice(0, 6)}`,
      payload: {
        entries: [{ colour: 'orange', labelZh: '普通党员', labelEn: 'Regular', rule: { kind: 'otherwise' } }],
      },
    }),
    expect: (role, side) => {
      const read = partyRead(role, side);
      return read === 200 && !['countyAdmin', 'cityAdmin'].includes(role) ? 403 : read;
    },
  },
  {
    // Anyone signed in registers where they live; a second one waits for the first (409).
    name: 'POST /me/party/registrations',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/me/party/registrations',
      payload: {
        name: '矩阵在职党员',
        idNumber: makeIdNumber('140202', '1979-09-09', 2 * ++seq, 'female'),
        compoundId: s.compoundId,
        workUnit: '矩阵单位',
      },
    }),
    expect: () => 200,
  },
  {
    name: 'GET /me/party/registrations',
    req: () => ({ method: 'GET', url: '/api/v1/me/party/registrations' }),
    expect: () => 200,
  },
  {
    // Someone else's registration: nobody but its author may withdraw it.
    name: 'POST /me/party/registrations/:id/withdraw',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/me/party/registrations/${s.registrationId}/withdraw`,
      payload: {},
    }),
    expect: () => 404,
  },
  {
    name: 'GET /party/units/search',
    req: () => ({ method: 'GET', url: `/api/v1/party/units/search?q=${encodeURIComponent('矩阵')}` }),
    expect: () => 200,
  },
  {
    // Scoped by the WHERE clause: outside their area, an empty list.
    name: 'GET /party/units',
    req: () => ({ method: 'GET', url: '/api/v1/party/units' }),
    expect: () => 200,
  },
  {
    name: 'GET /party/registrations',
    req: () => ({ method: 'GET', url: '/api/v1/party/registrations' }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'POST /party/registrations/:id/decide',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/registrations/${s.registrationId}/decide`,
      payload: { decision: 'reject', reason: '矩阵' },
    }),
    expect: orgWrite,
  },
  {
    name: 'POST /party/units',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/party/units',
      payload: { name: `矩阵共建单位${s === targets.A ? 'A' : 'B'}`, communityCode: s.community },
    }),
    expect: orgWrite,
  },
  {
    name: 'POST /party/units/:id/admins',
    // The side's resident becomes an administrator of the side's unit.
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/units/${s.unitId}/admins`,
      payload: { phone: s.residentPhone },
    }),
    expect: orgWrite,
  },
  {
    name: 'GET /party/units/:id/registrations',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/units/${s.unitId}/registrations` }),
    expect: (role, side) => (PARTY.includes(role) && inScope(role, side) ? 200 : 404),
  },
  {
    // The same list as a workbook; a unit administrator's own unit is in party/registration.test.ts.
    name: 'GET /party/units/:id/registrations.xlsx',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/units/${s.unitId}/registrations.xlsx` }),
    expect: (role, side) => (PARTY.includes(role) && inScope(role, side) ? 200 : 404),
  },
  {
    // Only the units one administers (party_unit_admins): none of these roles administers one.
    name: 'GET /me/party/units',
    req: () => ({ method: 'GET', url: '/api/v1/me/party/units' }),
    expect: () => 200,
  },
  {
    name: 'GET /me/party',
    req: () => ({ method: 'GET', url: '/api/v1/me/party' }),
    expect: () => 200,
  },
  // 积分: entries and statements are party records like the members they concern.
  {
    name: 'POST /points/entries',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/points/entries',
      payload: { memberId: s.memberId, points: 1, source: 'activity', reason: '矩阵' },
      headers: { 'idempotency-key': `matrix-${s.memberId}` },
    }),
    expect: partyRead,
  },
  {
    name: 'GET /party/members/:id/points',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/members/${s.memberId}/points` }),
    expect: partyRead,
  },
  {
    name: 'GET /me/points',
    req: () => ({ method: 'GET', url: '/api/v1/me/points' }),
    expect: () => 200,
  },
  {
    // The community's approval: community level and above, in their area.
    name: 'POST /points/merchants',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/points/merchants',
      payload: { name: '矩阵新商家', communityCode: s.community },
    }),
    expect: (role, side) => {
      if (!PARTY.includes(role)) return 403;
      return role !== 'compoundSecretary' && inScope(role, side) ? 200 : 404;
    },
  },
  {
    // The merchant's counter staff or its community; none of these accounts works a counter.
    name: 'POST /points/merchants/:id/offers',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/points/merchants/${s.merchantId}/offers`,
      payload: {
        title: '矩阵新优惠',
        category: 'food',
        price: 1,
        stock: 1,
        validFrom: '2026-11-01',
        validUntil: '2026-12-31',
      },
    }),
    expect: (role, side) =>
      ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'].includes(role) && inScope(role, side)
        ? 200
        : 404,
  },
  // Spending points is for members on a ledger: none of these accounts has a party record.
  {
    name: 'GET /me/points/offers',
    req: () => ({ method: 'GET', url: '/api/v1/me/points/offers' }),
    expect: () => 403,
  },
  {
    name: 'POST /me/points/offers/:id/redeem',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/me/points/offers/${s.offerId}/redeem`,
      payload: {},
      headers: { 'idempotency-key': `matrix-redeem-${s.offerId}` },
    }),
    expect: () => 403,
  },
  {
    name: 'GET /me/points/vouchers',
    req: () => ({ method: 'GET', url: '/api/v1/me/points/vouchers' }),
    expect: () => 403,
  },
  {
    name: 'POST /me/points/vouchers/:id/cancel',
    req: () => ({ method: 'POST', url: '/api/v1/me/points/vouchers/1/cancel', payload: {} }),
    expect: () => 403,
  },
  {
    name: 'POST /merchant/vouchers/check-in',
    req: () => ({
      method: 'POST',
      url: '/api/v1/merchant/vouchers/check-in',
      payload: { code: '000000000000' },
    }),
    expect: () => 403,
  },
  // 积分规则: read by party work in or over the county, set by county and city administrators.
  {
    name: 'GET /points/rules/:county',
    req: (s) => ({ method: 'GET', url: `/api/v1/points/rules/${s.community.slice(0, 6)}` }),
    expect: partyRead,
  },
  {
    name: 'PUT /points/rules/:county',
    req: (s) => ({
      method: 'PUT',
      url: `/api/v1/points/rules/${s.community.slice(0, 6)}`,
      payload: { rules: DEFAULT_RULES },
    }),
    expect: (role, side) => {
      const read = partyRead(role, side);
      return read === 200 && !['countyAdmin', 'cityAdmin'].includes(role) ? 403 : read;
    },
  },
  // 自主申报: members declare (none of these accounts has a party record); staff of the place decide.
  {
    name: 'GET /me/points/declarations',
    req: () => ({ method: 'GET', url: '/api/v1/me/points/declarations' }),
    expect: () => 403,
  },
  {
    name: 'POST /me/points/declarations',
    req: () => ({
      method: 'POST',
      url: '/api/v1/me/points/declarations',
      payload: { source: 'activity', description: '矩阵申报', points: 5 },
    }),
    expect: () => 403,
  },
  {
    // Refused before the body is read (it is not multipart here).
    name: 'POST /me/points/declarations/photos',
    req: () => ({ method: 'POST', url: '/api/v1/me/points/declarations/photos', payload: {} }),
    expect: () => 403,
  },
  {
    // Scoped by the WHERE clause: outside their area, an empty list.
    name: 'GET /points/declarations',
    req: () => ({ method: 'GET', url: '/api/v1/points/declarations' }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'POST /points/declarations/:id/decide',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/points/declarations/${ptsOf(s).declarationId}/decide`,
      payload: { decision: 'reject', reason: '矩阵' },
    }),
    expect: partyRead,
  },
  {
    // Its member (none here) and party staff of the place; anyone else: not found.
    name: 'GET /points/declarations/:id/photos/:fileId',
    req: (s) => ({
      method: 'GET',
      url: `/api/v1/points/declarations/${ptsOf(s).declarationId}/photos/${ptsOf(s).photoId}?variant=thumb`,
    }),
    expect: (role, side) => (PARTY.includes(role) && inScope(role, side) ? 200 : 404),
  },
  // 季度公示: members read their community's and object; staff read, the community answers.
  {
    name: 'GET /me/points/posting',
    req: () => ({ method: 'GET', url: '/api/v1/me/points/posting' }),
    expect: () => 403,
  },
  {
    name: 'POST /me/points/postings/:id/objections',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/me/points/postings/${ptsOf(s).postingId}/objections`,
      payload: { text: '矩阵异议' },
    }),
    expect: () => 403,
  },
  {
    name: 'GET /points/postings',
    req: () => ({ method: 'GET', url: '/api/v1/points/postings' }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /points/postings/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/points/postings/${ptsOf(s).postingId}` }),
    expect: partyRead,
  },
  {
    name: 'POST /points/objections/:id/resolve',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/points/objections/${ptsOf(s).objectionId}/resolve`,
      payload: { decision: 'dismiss', reply: '矩阵答复' },
    }),
    expect: orgWrite,
  },
  // 商家入驻: anyone signed in applies; the community and those above decide, in their area.
  {
    name: 'POST /me/points/merchant-applications',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/me/points/merchant-applications',
      payload: {
        communityCode: s.community,
        name: '矩阵新申请',
        categories: ['daily'],
        contactName: '矩阵',
        contactPhone: '13900000002',
      },
    }),
    expect: () => 200,
  },
  {
    name: 'GET /me/points/merchant-applications',
    req: () => ({ method: 'GET', url: '/api/v1/me/points/merchant-applications' }),
    expect: () => 200,
  },
  {
    name: 'GET /points/merchant-applications',
    req: () => ({ method: 'GET', url: '/api/v1/points/merchant-applications' }),
    expect: adminOnly(false),
  },
  {
    name: 'POST /points/merchant-applications/:id/reveal',
    req: (s) => ({ method: 'POST', url: `/api/v1/points/merchant-applications/${s.applicationId}/reveal` }),
    expect: adminOnly(true),
  },
  {
    name: 'POST /points/merchant-applications/:id/approve',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/points/merchant-applications/${s.applicationId}/approve`,
      payload: {},
    }),
    expect: adminOnly(true),
  },
  {
    name: 'POST /points/merchant-applications/:id/reject',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/points/merchant-applications/${s.rejectApplicationId}/reject`,
      payload: { reason: '矩阵' },
    }),
    expect: adminOnly(true),
  },
  // Merchants in the console: community level and above; an offer and a statement also for its
  // counter staff (none of these accounts works a counter).
  {
    name: 'GET /points/merchants',
    req: () => ({ method: 'GET', url: '/api/v1/points/merchants' }),
    expect: adminOnly(false),
  },
  {
    name: 'GET /merchant/counters',
    req: () => ({ method: 'GET', url: '/api/v1/merchant/counters' }),
    expect: () => 200,
  },
  {
    name: 'GET /points/merchants/:id/statement?month=2026-11',
    req: (s) => ({ method: 'GET', url: `/api/v1/points/merchants/${s.merchantId}/statement?month=2026-11` }),
    expect: (role, side) => (ADMIN.includes(role) && inScope(role, side) ? 200 : 404),
  },
  {
    name: 'GET /points/merchants/:id/statement.xlsx',
    req: (s) => ({ method: 'GET', url: `/api/v1/points/merchants/${s.merchantId}/statement.xlsx` }),
    expect: (role, side) => (ADMIN.includes(role) && inScope(role, side) ? 200 : 404),
  },
  {
    name: 'POST /points/offers/:id/stock',
    req: (s) => ({ method: 'POST', url: `/api/v1/points/offers/${s.offerId}/stock`, payload: { change: 1 } }),
    expect: (role, side) => (ADMIN.includes(role) && inScope(role, side) ? 200 : 404),
  },
  {
    // Ends the matrix's offer: every later caller allowed in gets 409 (counted as allowed).
    name: 'POST /points/offers/:id/close',
    req: (s) => ({ method: 'POST', url: `/api/v1/points/offers/${s.offerId}/close`, payload: {} }),
    expect: (role, side) => (ADMIN.includes(role) && inScope(role, side) ? 200 : 404),
  },
  // 包联: households in difficulty are party records like members.
  {
    name: 'GET /party/care',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/care?compoundId=${s.compoundId}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /party/care/summary',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/care/summary?compoundId=${s.compoundId}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'POST /party/care',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/party/care',
      payload: { headName: '矩阵新困难户', compoundId: s.compoundId, kinds: ['disabled'] },
    }),
    expect: partyRead,
  },
  {
    name: 'GET /party/care/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/party/care/${s.careId}` }),
    expect: partyRead,
  },
  {
    name: 'PATCH /party/care/:id',
    req: (s) => ({
      method: 'PATCH',
      url: `/api/v1/party/care/${s.careId}`,
      payload: { note: '矩阵', version: 1 },
    }),
    expect: partyRead,
  },
  {
    // Unmasked: community level and above; the compound secretary works the list masked.
    name: 'POST /party/care/:id/reveal',
    req: (s) => ({ method: 'POST', url: `/api/v1/party/care/${s.careId}/reveal`, payload: {} }),
    expect: orgWrite,
  },
  {
    name: 'POST /party/care/:id/visits',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/care/${s.careId}/visits`,
      payload: { visitedOn: '2026-11-20', notes: '矩阵走访' },
    }),
    expect: partyRead,
  },
  {
    name: 'POST /party/care/:id/pairings',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/care/${s.careId}/pairings`,
      payload: { memberId: s.memberId },
    }),
    expect: partyRead,
  },
  {
    name: 'POST /party/pairings/:id/end',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/pairings/${s.pairingId}/end`,
      payload: { reason: '矩阵' },
    }),
    expect: partyRead,
  },
  {
    name: 'POST /party/care/:id/close',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/party/care/${s.careId}/close`,
      payload: { reason: '矩阵', version: 1 },
    }),
    expect: partyRead,
  },
  {
    // Only households one is paired with: none of these accounts is.
    name: 'GET /me/party/care',
    req: () => ({ method: 'GET', url: '/api/v1/me/party/care' }),
    expect: () => 200,
  },
  {
    name: 'POST /me/party/care/:id/visits',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/me/party/care/${s.careId}/visits`,
      payload: { visitedOn: '2026-11-20', notes: '矩阵' },
    }),
    expect: () => 404,
  },
  {
    name: 'POST /me/party/care/:id/phone',
    req: (s) => ({ method: 'POST', url: `/api/v1/me/party/care/${s.careId}/phone`, payload: {} }),
    expect: () => 404,
  },
  // 志愿服务: organisers are party staff of the post's place (here a compound); members need a party record.
  {
    name: 'POST /service/posts',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/service/posts',
      payload: {
        compoundId: s.compoundId,
        title: '矩阵新岗位',
        kind: 'other',
        place: '矩阵',
        content: '矩阵',
        slots: [{ startsAt: '2026-12-01T09:00:00+08:00', endsAt: '2026-12-01T11:00:00+08:00', capacity: 1 }],
      },
    }),
    expect: partyRead,
  },
  {
    name: 'GET /service/posts',
    req: () => ({ method: 'GET', url: '/api/v1/service/posts' }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /service/posts/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/posts/${s.postId}` }),
    expect: partyRead,
  },
  {
    name: 'POST /service/posts/:id/slots',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/service/posts/${s.postId}/slots`,
      payload: {
        slots: [{ startsAt: '2026-12-02T09:00:00+08:00', endsAt: '2026-12-02T10:00:00+08:00', capacity: 2 }],
      },
    }),
    expect: partyRead,
  },
  {
    name: 'GET /service/slots/:id/roster',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/slots/${s.slotId}/roster` }),
    expect: partyRead,
  },
  {
    name: 'GET /service/slots/:id/qr',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/slots/${s.slotId}/qr?phase=in` }),
    expect: partyRead,
  },
  {
    name: 'POST /service/slots/:id/codes',
    req: (s) => ({ method: 'POST', url: `/api/v1/service/slots/${s.slotId}/codes`, payload: { count: 1 } }),
    expect: partyRead,
  },
  {
    name: 'GET /service/slots/:id/codes',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/slots/${s.slotId}/codes` }),
    expect: partyRead,
  },
  {
    // Already recorded by the fixture: a 409 once access has passed.
    name: 'POST /service/slots/:id/records',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/service/slots/${s.slotId}/records`,
      payload: { memberId: s.memberId, minutes: 10 },
    }),
    expect: partyRead,
  },
  {
    name: 'GET /service/records',
    req: () => ({ method: 'GET', url: '/api/v1/service/records?status=pending' }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /service/records/:id',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/records/${s.recordId}` }),
    expect: partyRead,
  },
  {
    name: 'POST /service/records/:id/verify',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/service/records/${s.recordId}/verify`,
      payload: { decision: 'approve', version: 1 },
    }),
    expect: partyRead,
  },
  {
    name: 'POST /service/records/:id/problems',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/service/records/${s.recordId}/problems`,
      payload: { problemsSolved: '矩阵' },
    }),
    expect: partyRead,
  },
  {
    name: 'POST /service/slots/:id/cancel',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/service/slots/${s.slotId}/cancel`,
      payload: { reason: '矩阵' },
    }),
    expect: partyRead,
  },
  {
    name: 'POST /service/posts/:id/close',
    req: (s) => ({ method: 'POST', url: `/api/v1/service/posts/${s.postId}/close`, payload: {} }),
    expect: partyRead,
  },
  // None of these accounts has a party record: the member's side refuses them all alike.
  {
    name: 'GET /me/service/posts',
    req: () => ({ method: 'GET', url: '/api/v1/me/service/posts' }),
    expect: () => 403,
  },
  {
    name: 'POST /me/service/slots/:id/claim',
    req: (s) => ({ method: 'POST', url: `/api/v1/me/service/slots/${s.slotId}/claim`, payload: {} }),
    expect: () => 403,
  },
  {
    name: 'POST /me/service/claims/:id/cancel',
    req: () => ({ method: 'POST', url: '/api/v1/me/service/claims/1/cancel', payload: {} }),
    expect: () => 403,
  },
  {
    name: 'GET /me/service/claims',
    req: () => ({ method: 'GET', url: '/api/v1/me/service/claims' }),
    expect: () => 403,
  },
  {
    name: 'POST /me/service/attendance',
    req: () => ({ method: 'POST', url: '/api/v1/me/service/attendance', payload: { code: '12345678' } }),
    expect: () => 403,
  },
  {
    name: 'GET /me/service/records',
    req: () => ({ method: 'GET', url: '/api/v1/me/service/records' }),
    expect: () => 403,
  },
  {
    name: 'POST /me/service/records/:id/problems',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/me/service/records/${s.recordId}/problems`,
      payload: { problemsSolved: '矩阵' },
    }),
    expect: () => 403,
  },
  // 年度服务目标: read by party staff of the county, set by the county and the city.
  {
    name: 'GET /service/targets?county',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/targets?county=${s.community.slice(0, 6)}` }),
    expect: partyRead,
  },
  {
    name: 'PUT /service/targets/:county/:year/:group',
    req: (s) => ({
      method: 'PUT',
      url: `/api/v1/service/targets/${s.community.slice(0, 6)}/2026/inService`,
      payload: { minTimes: 2, minHours: 8, remindOn: ['2026-12-01'] },
    }),
    expect: (role, side) => {
      const read = partyRead(role, side);
      return read === 200 && !['countyAdmin', 'cityAdmin'].includes(role) ? 403 : read;
    },
  },
  {
    name: 'DELETE /service/targets/:county/:year/:group',
    req: (s) => ({
      method: 'DELETE',
      url: `/api/v1/service/targets/${s.community.slice(0, 6)}/2026/inService`,
    }),
    expect: (role, side) => {
      const read = partyRead(role, side);
      return read === 200 && !['countyAdmin', 'cityAdmin'].includes(role) ? 403 : read;
    },
  },
  // Progress lists are scoped by the WHERE clause: outside one's area, an empty list.
  {
    name: 'GET /service/progress',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/progress?status=all&region=${s.community}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /service/progress/summary',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/progress/summary?region=${s.community}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /service/progress.xlsx',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/progress.xlsx?region=${s.community}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    // A unit's report: its administrators (service/targets.test.ts) and party staff where it is registered.
    name: 'GET /service/units/:id/progress',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/units/${s.unitId}/progress` }),
    expect: (role, side) => (PARTY.includes(role) && inScope(role, side) ? 200 : 404),
  },
  {
    name: 'GET /service/units/:id/progress.xlsx',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/units/${s.unitId}/progress.xlsx` }),
    expect: (role, side) => (PARTY.includes(role) && inScope(role, side) ? 200 : 404),
  },
  {
    // Nothing for someone with no party record; none of these accounts has one.
    name: 'GET /me/service/progress',
    req: () => ({ method: 'GET', url: '/api/v1/me/service/progress' }),
    expect: () => 200,
  },
  {
    name: 'POST /me/service/reminders/:id/read',
    req: () => ({ method: 'POST', url: '/api/v1/me/service/reminders/1/read', payload: {} }),
    expect: () => 404,
  },
  // 志愿服务证明: staff of the member's place read them; community level and above issue and revoke.
  {
    name: 'GET /service/certificates',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/certificates?region=${s.community}` }),
    expect: (role) => (PARTY.includes(role) ? 200 : 403),
  },
  {
    name: 'GET /service/certificates/preview',
    req: (s) => ({
      method: 'GET',
      url: `/api/v1/service/certificates/preview?memberId=${s.memberId}&periodFrom=2026-01-01&periodTo=2026-11-25`,
    }),
    expect: orgWrite,
  },
  {
    // The matrix's members have no approved service: 409 once access passed (counted as allowed).
    name: 'POST /service/certificates',
    req: (s) => ({
      method: 'POST',
      url: '/api/v1/service/certificates',
      payload: { memberId: s.memberId, periodFrom: '2026-01-01', periodTo: '2026-11-25' },
    }),
    expect: orgWrite,
  },
  {
    name: 'GET /service/certificates/:id/pdf',
    req: (s) => ({ method: 'GET', url: `/api/v1/service/certificates/${certOf(s).id}/pdf` }),
    expect: partyRead,
  },
  {
    name: 'GET /me/service/certificates',
    req: () => ({ method: 'GET', url: '/api/v1/me/service/certificates' }),
    expect: () => 200,
  },
  {
    // Only one's own: none of these accounts holds one.
    name: 'GET /me/service/certificates/:id/pdf',
    req: (s) => ({ method: 'GET', url: `/api/v1/me/service/certificates/${certOf(s).id}/pdf` }),
    expect: () => 404,
  },
  {
    name: 'POST /service/certificates/:id/revoke',
    req: (s) => ({
      method: 'POST',
      url: `/api/v1/service/certificates/${certOf(s).id}/revoke`,
      payload: { reason: '矩阵' },
    }),
    expect: orgWrite,
  },
  {
    // Anyone, signed in or not (anonymous callers: service/certificates.test.ts).
    name: 'GET /public/service/certificates/:number',
    req: (s) => ({ method: 'GET', url: `/api/v1/public/service/certificates/${certOf(s).number}` }),
    expect: () => 200,
  },
  // Figures: region-level administrators, for regions their grant covers (stats/rates.test.ts).
  {
    name: 'GET /stats/rates (community)',
    req: (s) => ({
      method: 'GET',
      url: `/api/v1/stats/rates?region=${s.community}&from=2026-11-01&to=2026-11-30`,
    }),
    expect: adminOnly(true),
  },
  {
    // A county is above a community or township administrator's grant: not found for them.
    name: 'GET /stats/rates (county)',
    req: (s) => ({
      method: 'GET',
      url: `/api/v1/stats/rates?region=${s.community.slice(0, 6)}&from=2026-11-01&to=2026-11-30&groupBy=community`,
    }),
    expect: (role, side) => {
      const r = adminOnly(true)(role, side);
      return r === 200 && (role === 'communityAdmin' || role === 'townshipAdmin') ? 404 : r;
    },
  },
  // Last: following makes a ticket "mine", which would change what the routes above see.
  {
    // "+1" on an open public ticket: anyone signed in (it was offered to them as nearby).
    name: 'POST /tickets/:id/follow',
    req: (s) => ({ method: 'POST', url: `/api/v1/tickets/${s.ticketId}/follow`, payload: {} }),
    expect: () => 200,
  },
];

describe('access matrix', () => {
  for (const route of ROUTES) {
    it(`${route.name}`, async () => {
      const seen: string[] = [];
      const wanted: string[] = [];
      for (const role of ROLES) {
        for (const side of ['A', 'B'] as Side[]) {
          const { method, url, payload, headers } = route.req(targets[side]);
          const res = await t.app.inject({
            method,
            url,
            payload,
            headers: { cookie: cookies.get(role) as string, ...headers },
          });
          let status = res.statusCode;
          // Granting the same thing twice is a 409 after access passed; count it as allowed. So is
          // a party change that an earlier caller already made (a stale version, a same ledger,
          // a committee that exists, a merge into itself, an organisation already dissolved).
          if (route.name.startsWith('POST /users/:id/grants') && status === 409) status = 200;
          if (
            /^(POST|PATCH) \/(me\/)?(party|points|service)\//.test(route.name) &&
            (status === 409 || status === 400)
          )
            status = 200;
          seen.push(`${role}@${side}=${status}`);
          wanted.push(`${role}@${side}=${route.expect(role, side)}`);
          if (status === 403 || status === 404 || status === 401) {
            expect(res.headers['content-type']).toContain('application/problem+json');
          }
        }
      }
      expect(seen).toEqual(wanted);
    });
  }

  it('every route in the API is in the matrix', () => {
    const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const covered = new Set(
      ROUTES.map((r) => r.name.split(' ').slice(0, 2).join(' ').replace(/\?.*$/, '')).map((s) =>
        s.replace(/:(\w+)/g, '{$1}'),
      ),
    );
    const open = new Set([
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/otp',
      'POST /api/v1/auth/otp/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/logout-all',
      'PATCH /api/v1/me',
      'POST /api/v1/me/password',
      'DELETE /api/v1/grids/{id}',
      'PATCH /api/v1/buildings/{id}',
      'DELETE /api/v1/buildings/{id}',
      'DELETE /api/v1/users/{id}/grants/{grantId}',
      'GET /api/health',
      // A Server-Sent Events stream: inject cannot read it; tickets/live.test.ts covers who hears what.
      'GET /api/v1/tickets/live',
      // A multipart upload and its report: party/ledger-import.test.ts covers who may.
      'POST /api/v1/party/members/import',
      'GET /api/v1/party/imports/{id}/report.xlsx',
    ]);
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const m of Object.keys(methods)) {
        const key = `${m.toUpperCase()} ${path}`;
        const short = `${m.toUpperCase()} ${path.replace('/api/v1', '')}`.replace('{code}', '{community}');
        if (!open.has(key) && !covered.has(short)) missing.push(key);
      }
    }
    // Routes listed in `open` are covered by their own suites (auth.test, geo.test, users.test).
    expect(missing).toEqual([]);
  });

  it('every /api/v1 route except login and SMS code asks an anonymous caller to log in', async () => {
    const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const anonymousOk = new Set([
      '/api/v1/auth/login',
      '/api/v1/auth/otp',
      '/api/v1/auth/otp/login',
      '/api/v1/auth/logout',
    ]);
    for (const [path, methods] of Object.entries(spec.paths)) {
      // /api/v1/public/ answers anyone (a certificate's number: service/certificates.test.ts).
      if (!path.startsWith('/api/v1') || anonymousOk.has(path) || path.startsWith('/api/v1/public/'))
        continue;
      for (const m of Object.keys(methods)) {
        const url = path
          .replace('{code}', '140213066004')
          .replace(/\{\w+\}/g, '1')
          .concat(path === '/api/v1/grids' && m === 'get' ? '?community=140213066004' : '')
          .concat(path === '/api/v1/regions/search' ? '?q=x' : '');
        const res = await t.app.inject({
          method: m.toUpperCase() as 'GET',
          url,
          payload: m === 'get' ? undefined : {},
        });
        expect(`${m} ${path} ${res.statusCode}`).toBe(`${m} ${path} 401`);
        expect(res.json().code).toBe('auth.required');
      }
    }
  });
});
