import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_DEFINITIONS, RATE_KINDS, type RatesResult } from '../../contracts/stats.ts';
import type { TicketStatus } from '../../contracts/tickets.ts';
import {
  createTestApp,
  loginAs,
  makeCompound,
  makeDepartment,
  makeUser,
  regionPath,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { tickets } from '../tickets/tables.ts';
import { addLimit, parseLimit, workCalendar } from '../tickets/worktime.ts';
import { periodInstants, ticketRates } from './rates.ts';

/**
 * The three rates over tickets written directly with chosen times, against figures worked out by
 * hand (the table in the comment below). Times are Shanghai wall clock.
 *
 *  id   place  received          accept due / accepted     resolve due / resolved       status      closed / outcome
 *  T1   C1     10-10 09:00       10-10 11:00 / 10:30 ✓     10-20 18:00 / 10-19 ✓        closed      10-21 satisfied
 *  T2   C1     10-12 09:00       10-12 11:00 / 14:00 ✗     10-22 18:00 / 10-23 ✗        closed      10-24 unsatisfied
 *  T3   C1     10-31 23:30       11-02 10:00 / 11-02 09:00 ✓  11-10 18:00 / –            inProgress
 *  T4   C1     10-15 10:00       10-15 12:00 / – ✗         –                            submitted
 *  T5   C1     10-16 10:00       rejected: counts nowhere                               rejected
 *  T10  C1     11-01 00:10       11-02 10:00 / – ✗         –                            submitted
 *  T11  C1     10-11 10:00       merged into T1: counts nowhere                         merged
 *  T6   C2     10-20 10:00       10-20 12:00 / 11:00 ✓     10-30 18:00 / 10-30 17:00 ✓  confirmed   (awaiting rating)
 *  T7   C2     09-30 17:00       2wh → 10-08 09:30 (National Day) / 10-08 09:00 ✓        accepted
 *  T8   C2     09-30 09:00       09-30 11:00 / 10:00 ✓     1wd → 10-08 10:00 / 10-08 09:45 ✓  resolved
 *  T12  C2     10-14 10:00       10-14 12:00 / 11:00 ✓     10-25 18:00 / 10-24 (sent back) ✗  inProgress
 *  T13  C2     09-20 10:00       09-20 12:00 / 11:00 ✓     09-29 18:00 / 09-28 ✓        closed      10-28 noRating
 *  T9   C3     10-05 10:00       10-08 10:30 / 10-08 10:00 ✓  10-15 18:00 / – ✗         inProgress
 *
 * C1 and C2 are communities of 平城区 (140213), C3 one of 云冈区 (140214).
 */

let t: TestApp;
let C1: string;
let C2: string;
let C3: string;
let city: string;
let ca1: string;
let county: string;

const at = (s: string) => new Date(`2026-${s.replace(' ', 'T')}:00+08:00`);
const cal = workCalendar();
let seq = 0;
const ids: Record<string, number> = {};

async function ticket(
  label: string,
  community: string,
  f: {
    status: TicketStatus;
    received: string;
    acceptDue: Date;
    accepted?: string;
    resolveDue?: Date;
    resolved?: string;
    closed?: string;
    outcome?: 'satisfied' | 'unsatisfied' | 'noRating';
    rating?: number;
    mergedInto?: string;
  },
) {
  const [row] = await t.db
    .insert(tickets)
    .values({
      number: `STATS-${++seq}`,
      channel: 'app',
      status: f.status,
      description: `统计口径样例 ${label}`,
      communityCode: community,
      countyCode: community.slice(0, 6),
      path: await regionPath(t.db, community),
      createdAt: at(f.received),
      updatedAt: at(f.received),
      acceptDueAt: f.acceptDue,
      acceptedAt: f.accepted ? at(f.accepted) : null,
      resolveDueAt: f.resolveDue ?? null,
      resolvedAt: f.resolved ? at(f.resolved) : null,
      closedAt: f.closed ? at(f.closed) : null,
      outcome: f.outcome ?? null,
      rating: f.rating ?? null,
      mergedIntoId: f.mergedInto ? ids[f.mergedInto] : null,
    })
    .returning({ id: tickets.id });
  ids[label] = row?.id as number;
}

const get = (cookie: string, q: string) => t.get(cookie, `/api/v1/stats/rates?${q}`);
async function rates(cookie: string, q: string): Promise<RatesResult> {
  const res = await get(cookie, q);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** [numerator, denominator, rate] of each rate, in the order response, resolution, satisfaction. */
const triples = (r: RatesResult['total']) =>
  RATE_KINDS.map((k) => [r[k].numerator, r[k].denominator, r[k].rate] as const);

beforeAll(async () => {
  t = await createTestApp();
  C1 = await t.freshCommunity('140213');
  C2 = await t.freshCommunity('140213', [C1]);
  C3 = await t.freshCommunity('140214');
  city = '140200';
  ca1 = (await regionUser(t, 'communityAdmin', C1)).cookie;
  county = (await regionUser(t, 'countyAdmin', '140213')).cookie;

  // C1
  await ticket('T1', C1, {
    status: 'closed',
    received: '10-10 09:00',
    acceptDue: at('10-10 11:00'),
    accepted: '10-10 10:30',
    resolveDue: at('10-20 18:00'),
    resolved: '10-19 10:00',
    closed: '10-21 10:00',
    outcome: 'satisfied',
    rating: 5,
  });
  await ticket('T2', C1, {
    status: 'closed',
    received: '10-12 09:00',
    acceptDue: at('10-12 11:00'),
    accepted: '10-12 14:00',
    resolveDue: at('10-22 18:00'),
    resolved: '10-23 09:00',
    closed: '10-24 10:00',
    outcome: 'unsatisfied',
    rating: 2,
  });
  // 23:30 on 31 October in Shanghai is 15:30 UTC: October, not November.
  await ticket('T3', C1, {
    status: 'inProgress',
    received: '10-31 23:30',
    acceptDue: at('11-02 10:00'),
    accepted: '11-02 09:00',
    resolveDue: at('11-10 18:00'),
  });
  await ticket('T4', C1, { status: 'submitted', received: '10-15 10:00', acceptDue: at('10-15 12:00') });
  await ticket('T5', C1, { status: 'rejected', received: '10-16 10:00', acceptDue: at('10-16 12:00') });
  // 00:10 on 1 November in Shanghai is still 31 October in UTC: November.
  await ticket('T10', C1, { status: 'submitted', received: '11-01 00:10', acceptDue: at('11-02 10:00') });
  await ticket('T11', C1, {
    status: 'merged',
    received: '10-11 10:00',
    acceptDue: at('10-11 12:00'),
    accepted: '10-11 11:00',
    resolveDue: at('10-21 18:00'),
    mergedInto: 'T1',
  });

  // C2
  await ticket('T6', C2, {
    status: 'confirmed',
    received: '10-20 10:00',
    acceptDue: at('10-20 12:00'),
    accepted: '10-20 11:00',
    resolveDue: at('10-30 18:00'),
    resolved: '10-30 17:00',
  });
  // Received at 17:00 on the eve of National Day with 2 working hours to accept: one hour that day,
  // then nothing until the holiday (1–7 October) is over, so due at 09:30 on 8 October.
  const t7AcceptDue = addLimit(cal, at('09-30 17:00'), parseLimit('2wh'));
  expect(t7AcceptDue).toEqual(at('10-08 09:30'));
  await ticket('T7', C2, {
    status: 'accepted',
    received: '09-30 17:00',
    acceptDue: t7AcceptDue,
    accepted: '10-08 09:00',
  });
  // Accepted at 10:00 on 30 September with one working day (7 working hours) to resolve: 5.5 hours
  // that day, the holiday, then 1.5 hours from 08:30 on 8 October: due at 10:00 on 8 October.
  const t8ResolveDue = addLimit(cal, at('09-30 10:00'), parseLimit('1wd'));
  expect(t8ResolveDue).toEqual(at('10-08 10:00'));
  await ticket('T8', C2, {
    status: 'resolved',
    received: '09-30 09:00',
    acceptDue: at('09-30 11:00'),
    accepted: '09-30 10:00',
    resolveDue: t8ResolveDue,
    resolved: '10-08 09:45',
  });
  // Resolved in time, then sent back by the community: no longer resolved (resolved_at stays).
  await ticket('T12', C2, {
    status: 'inProgress',
    received: '10-14 10:00',
    acceptDue: at('10-14 12:00'),
    accepted: '10-14 11:00',
    resolveDue: at('10-25 18:00'),
    resolved: '10-24 10:00',
  });
  await ticket('T13', C2, {
    status: 'closed',
    received: '09-20 10:00',
    acceptDue: at('09-20 12:00'),
    accepted: '09-20 11:00',
    resolveDue: at('09-29 18:00'),
    resolved: '09-28 10:00',
    closed: '10-28 10:00',
    outcome: 'noRating',
  });

  // C3, in another county: received during the holiday, accept time counts from 8 October.
  await ticket('T9', C3, {
    status: 'inProgress',
    received: '10-05 10:00',
    acceptDue: addLimit(cal, at('10-05 10:00'), parseLimit('2wh')),
    accepted: '10-08 10:00',
    resolveDue: at('10-15 18:00'),
  });
});
afterAll(async () => t?.close());

describe('ticket rates', () => {
  it('gives October’s three rates for the city with numerators and denominators', async () => {
    const admin = (await regionUser(t, 'cityAdmin', city)).cookie;
    const r = await rates(admin, `region=${city}&from=2026-10-01&to=2026-10-31`);
    expect(r.region).toEqual({ code: city, name: expect.any(String), level: 'city' });
    expect(r.groups).toEqual([]);
    // Response: received in October, not rejected or merged: T1 T2 T3 T4 T6 T9 T12; in time: T1 T3 T6 T9 T12.
    // Resolution: due in October: T1 T2 T6 T8 T9 T12; resolved in time and still resolved: T1 T6 T8.
    // Satisfaction: closed in October with a rating: T1 (satisfied), T2; T13 closed without one.
    expect(triples(r.total)).toEqual([
      [5, 7, 5 / 7],
      [3, 6, 0.5],
      [1, 2, 0.5],
    ]);
  });

  it('counts a ticket received at 23:30 on 31 October in October, and one at 00:10 on 1 November in November', async () => {
    const lastDay = await rates(ca1, `region=${C1}&from=2026-10-31&to=2026-10-31`);
    expect(lastDay.total.response).toEqual({ numerator: 1, denominator: 1, rate: 1 }); // T3
    const nov = await rates(ca1, `region=${C1}&from=2026-11-01&to=2026-11-30`);
    // T10 only (not yet accepted); T3's deadline of 10 November is November's, unresolved.
    expect(triples(nov.total)).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, null],
    ]);
    const firstDay = await rates(ca1, `region=${C1}&from=2026-11-01&to=2026-11-01`);
    expect(firstDay.total.response).toEqual({ numerator: 0, denominator: 1, rate: 0 }); // T10
  });

  it('places deadlines after the holiday: accepted after National Day within the limit is in time, and a resolve deadline pushed past it falls on 8 October', async () => {
    // September, C2: T7 (received on the eve, accepted on 8 October before 09:30), T8, T13: all in time.
    const sep = await rates(county, `region=${C2}&from=2026-09-01&to=2026-09-30`);
    expect(triples(sep.total)).toEqual([
      [3, 3, 1],
      [1, 1, 1],
      [0, 0, null],
    ]);
    // T8's one working day runs past the holiday: nothing of C2's was due during it.
    const holiday = await rates(county, `region=${C2}&from=2026-10-01&to=2026-10-07`);
    expect(holiday.total.resolution).toEqual({ numerator: 0, denominator: 0, rate: null });
    const after = await rates(county, `region=${C2}&from=2026-10-08&to=2026-10-08`);
    expect(after.total.resolution).toEqual({ numerator: 1, denominator: 1, rate: 1 });
  });

  it('has no satisfaction rate where nothing was rated, rather than 0', async () => {
    // C2 in October: T6 awaits its rating, T13 closed without one.
    const r = await rates(county, `region=${C2}&from=2026-10-01&to=2026-10-31`);
    expect(r.total.satisfaction).toEqual({ numerator: 0, denominator: 0, rate: null });
    // Response T6 T12; resolution T6 T8 (in time), T12 sent back.
    expect(r.total.response).toEqual({ numerator: 2, denominator: 2, rate: 1 });
    expect(r.total.resolution).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
  });

  it('splits by county and by community, listing places without tickets too', async () => {
    const admin = (await regionUser(t, 'cityAdmin', city)).cookie;
    const byCounty = await rates(admin, `region=${city}&from=2026-10-01&to=2026-10-31&groupBy=county`);
    // The ten counties and districts of DOMAIN.md, and the economic development zone (140271).
    expect(byCounty.groups).toHaveLength(11);
    const g = (r: RatesResult, code: string) => r.groups.find((x) => x.code === code) as RatesResult['total'];
    expect(triples(g(byCounty, '140213'))).toEqual([
      [4, 6, 4 / 6],
      [3, 5, 0.6],
      [1, 2, 0.5],
    ]);
    expect(triples(g(byCounty, '140214'))).toEqual([
      [1, 1, 1],
      [0, 1, 0],
      [0, 0, null],
    ]);
    expect(triples(g(byCounty, '140225'))).toEqual([
      [0, 0, null],
      [0, 0, null],
      [0, 0, null],
    ]);
    // The groups add up to the total.
    for (const k of RATE_KINDS)
      expect(byCounty.groups.reduce((s, x) => s + x[k].denominator, 0)).toBe(byCounty.total[k].denominator);

    const byCommunity = await rates(county, `region=140213&from=2026-10-01&to=2026-10-31&groupBy=community`);
    expect(byCommunity.groups.every((x) => x.code.startsWith('140213'))).toBe(true);
    expect(triples(g(byCommunity, C1))).toEqual([
      [2, 4, 0.5],
      [1, 2, 0.5],
      [1, 2, 0.5],
    ]);
    expect(triples(g(byCommunity, C2))).toEqual([
      [2, 2, 1],
      [2, 3, 2 / 3],
      [0, 0, null],
    ]);
    expect(byCommunity.groups.some((x) => x.code === C3)).toBe(false);
    expect(triples(byCommunity.total)).toEqual(triples(g(byCounty, '140213')));

    const byTownship = await rates(county, `region=140213&from=2026-10-01&to=2026-10-31&groupBy=township`);
    expect(byTownship.groups.every((x) => x.code.length === 9 && x.code.startsWith('140213'))).toBe(true);
    expect(byTownship.groups.reduce((s, x) => s + x.response.denominator, 0)).toBe(6);
    // A community split by itself is one row.
    const self = await rates(ca1, `region=${C1}&from=2026-10-01&to=2026-10-31&groupBy=community`);
    expect(self.groups.map((x) => x.code)).toEqual([C1]);
  });

  it('keeps a community administrator to their community', async () => {
    const own = await rates(ca1, `region=${C1}&from=2026-10-01&to=2026-10-31`);
    expect(triples(own.total)).toEqual([
      [2, 4, 0.5],
      [1, 2, 0.5],
      [1, 2, 0.5],
    ]);
    for (const region of [C2, '140213', city]) {
      const res = await get(ca1, `region=${region}&from=2026-10-01&to=2026-10-31`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('region.not_found');
    }
    // A county administrator does not reach the next county.
    expect((await get(county, `region=140214&from=2026-10-01&to=2026-10-31`)).statusCode).toBe(404);
    expect((await get(county, `region=${C3}&from=2026-10-01&to=2026-10-31`)).statusCode).toBe(404);
  });

  it('refuses residents, members and department officers, and a split above the region’s level', async () => {
    const { compound } = await makeCompound(t.db, C1, '统计小区');
    const dept = await makeDepartment(t.db, '140213', '统计城管局');
    for (const grant of [
      {
        role: 'resident' as const,
        scopePath: compound.path,
        nodeKind: 'compound',
        nodeRef: String(compound.id),
      },
      {
        role: 'member' as const,
        scopePath: compound.path,
        nodeKind: 'compound',
        nodeRef: String(compound.id),
      },
      {
        role: 'departmentOfficer' as const,
        scopePath: dept.path,
        nodeKind: 'department',
        nodeRef: String(dept.id),
        departmentId: dept.id,
      },
    ]) {
      const u = await makeUser(t.db, { grants: [grant] });
      const res = await get(await loginAs(t.app, u.phone), `region=${C1}&from=2026-10-01&to=2026-10-31`);
      expect(res.statusCode, grant.role).toBe(403);
      expect(res.json().code).toBe('access.forbidden');
    }
    const res = await get(ca1, `region=${C1}&from=2026-10-01&to=2026-10-31&groupBy=county`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('stats.group_level');
    expect(res.json().detail).toContain('县（区）');
  });

  it('refuses a period that ends before it starts or is longer than 366 days, and dates that do not exist', async () => {
    const reversed = await get(ca1, `region=${C1}&from=2026-10-31&to=2026-10-01`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().code).toBe('stats.period_reversed');
    expect(reversed.json().detail).toBe('统计期间不正确：结束日期（2026-10-01）早于开始日期（2026-10-31）。');
    const long = await get(ca1, `region=${C1}&from=2024-01-01&to=2025-01-01`);
    expect(long.statusCode).toBe(400);
    expect(long.json().code).toBe('stats.period_too_long');
    expect(long.json().detail).toContain('367');
    // 2024 is a leap year: all of it, 366 days, is allowed.
    expect((await get(ca1, `region=${C1}&from=2024-01-01&to=2024-12-31`)).statusCode).toBe(200);
    const bad = await get(ca1, `region=${C1}&from=2026-02-30&to=2026-03-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('request.invalid');
    expect(bad.json().errors[0].message).toContain('日期');
  });

  it('is the same SQL when called directly, for the rollups and exports that reuse it', async () => {
    const direct = await ticketRates(t.db, {
      scopes: [await regionPath(t.db, C1), await regionPath(t.db, C2)],
      from: '2026-10-01',
      to: '2026-10-31',
    });
    // C1 + C2: response 2/4 + 2/2, resolution 1/2 + 2/3, satisfaction 1/2 + 0/0.
    expect(triples(direct.total)).toEqual([
      [4, 6, 4 / 6],
      [3, 5, 0.6],
      [1, 2, 0.5],
    ]);
    // No scope counts nothing.
    const none = await ticketRates(t.db, { scopes: [], from: '2026-10-01', to: '2026-10-31' });
    expect(none.total.response).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(periodInstants('2026-10-01', '2026-10-31')).toEqual({
      start: new Date('2026-09-30T16:00:00Z'),
      end: new Date('2026-10-31T16:00:00Z'),
    });
  });

  it('says what each rate is, in Chinese and English, in the words of its numerator and denominator', () => {
    for (const k of RATE_KINDS) {
      const d = RATE_DEFINITIONS[k];
      expect(d.definition.zh).toContain(`${d.name.zh} = ${d.numerator.zh} ÷ ${d.denominator.zh}`);
      expect(d.definition.en).toContain(
        `${d.name.en} = ${d.numerator.en.toLowerCase()} ÷ ${d.denominator.en.toLowerCase()}`,
      );
    }
  });
});
