import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../party/id-number.ts';
import { pointsAccounts } from '../points/tables.ts';
import {
  compoundUser,
  createTestApp,
  loginAs,
  makeCompound,
  makeUser,
  regionUser,
  type TestApp,
} from '../test/app.ts';

let t: TestApp;
let community: string;
let ca: { cookie: string };
let cb: { cookie: string };
let secretary: { cookie: string };
let X: { id: number; path: string };
let Y: { id: number; path: string };
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const NOW = new Date('2026-11-26T08:00:00+08:00');
const H = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * H).toISOString();

let seq = 0;
const idNo = () => makeIdNumber('140212', '1980-03-03', 2 * ++seq + 1, 'female');

/** A member with an account on the ledger of compound `c`. */
async function member(c: { id: number } = X, skills: string[] = []) {
  const u = await makeUser(t.db, { name: '服务党员' });
  const m = await t.send(ca.cookie, 'POST', '/api/v1/party/members', {
    name: '服务党员',
    idNumber: idNo(),
    compoundId: c.id,
    ledger: 'inService',
    phone: u.phone,
    skills,
  });
  expect(m.statusCode, m.body).toBe(200);
  return { cookie: await loginAs(t.app, u.phone), id: m.json().id as number, phone: u.phone };
}

async function post(over: Record<string, unknown> = {}, cookie = ca.cookie) {
  const res = await t.send(cookie, 'POST', '/api/v1/service/posts', {
    communityCode: community,
    title: '文明劝导',
    kind: 'civility',
    skills: ['宣讲'],
    place: '文兴路口',
    recipients: '过往行人',
    content: '路口文明交通劝导',
    pointsPerHour: 10,
    slots: [{ startsAt: at(2), endsAt: at(4), capacity: 2 }],
    ...over,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: number; slots: { id: number }[] };
}

const claim = (cookie: string, slotId: number) =>
  t.send(cookie, 'POST', `/api/v1/me/service/slots/${slotId}/claim`, {});
const attend = (cookie: string, body: object) =>
  t.send(cookie, 'POST', '/api/v1/me/service/attendance', body);
const qr = async (slotId: number, phase: 'in' | 'out') =>
  (await t.get(ca.cookie, `/api/v1/service/slots/${slotId}/qr?phase=${phase}`)).json() as {
    token: string;
    digits: string;
  };
async function balance(memberId: number) {
  const [a] = await t.db.select().from(pointsAccounts).where(eq(pointsAccounts.memberId, memberId));
  return a?.balance ?? 0;
}

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  const other = await t.freshCommunity('140213', [community]);
  X = (await makeCompound(t.db, community, '服务一区')).compound;
  Y = (await makeCompound(t.db, community, '服务二区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  secretary = await compoundUser(t, 'compoundSecretary', Y);
});
afterAll(async () => t?.close());

describe('service posts and claims', () => {
  it('publishes posts where the organiser works, and nowhere else', async () => {
    t.clock.set(NOW);
    const p = await post({ compoundId: Y.id, communityCode: undefined }, secretary.cookie);
    expect(p.slots).toHaveLength(1);
    // A compound secretary cannot publish for the whole community, nor another community.
    const wide = await t.send(secretary.cookie, 'POST', '/api/v1/service/posts', {
      communityCode: community,
      title: '越权',
      kind: 'other',
      place: '某处',
      content: '内容',
      slots: [{ startsAt: at(2), endsAt: at(3), capacity: 1 }],
    });
    expect(wide.statusCode).toBe(404);
    expect((await t.get(cb.cookie, `/api/v1/service/posts/${p.id}`)).statusCode).toBe(404);
    // A slot that ends before it starts is refused with the field named.
    const bad = await t.send(ca.cookie, 'POST', '/api/v1/service/posts', {
      communityCode: community,
      title: '颠倒',
      kind: 'other',
      place: '某处',
      content: '内容',
      slots: [{ startsAt: at(3), endsAt: at(2), capacity: 1 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('slots.0');
    expect(bad.json().errors[0].message).toContain('结束时间');
  });

  it('fills a slot to capacity, lines up the rest, and moves the first in line up when a place is given back', async () => {
    t.clock.set(NOW);
    const p = await post({ cancelHours: 1 });
    const slot = p.slots[0]?.id as number;
    const [a, b, c, d] = [await member(), await member(), await member(), await member()];
    expect((await claim(a.cookie, slot)).json().slots[0].mine.status).toBe('claimed');
    // Claiming twice keeps the one place.
    expect((await claim(a.cookie, slot)).json().slots[0]).toMatchObject({
      claimed: 1,
      mine: { status: 'claimed' },
    });
    await claim(b.cookie, slot);
    const third = (await claim(c.cookie, slot)).json().slots[0];
    expect(third).toMatchObject({ claimed: 2, waitlisted: 1, mine: { status: 'waitlisted', position: 1 } });
    expect((await claim(d.cookie, slot)).json().slots[0].mine).toMatchObject({
      status: 'waitlisted',
      position: 2,
    });

    const mine = (await t.get(b.cookie, '/api/v1/me/service/claims')).json();
    const back = await t.send(b.cookie, 'POST', `/api/v1/me/service/claims/${mine[0].claimId}/cancel`, {});
    expect(back.json().slots[0]).toMatchObject({ claimed: 2, waitlisted: 1, mine: null });
    const cNow = (await t.get(c.cookie, '/api/v1/me/service/claims')).json();
    expect(cNow[0]).toMatchObject({ status: 'claimed', position: null });
    expect((await t.get(d.cookie, '/api/v1/me/service/claims')).json()[0]).toMatchObject({
      status: 'waitlisted',
      position: 1,
    });

    // Within the post's deadline (1 hour before the start) a place can no longer be given back.
    t.clock.set(new Date(NOW.getTime() + 1.5 * H));
    const late = await t.send(
      a.cookie,
      'POST',
      `/api/v1/me/service/claims/${(await t.get(a.cookie, '/api/v1/me/service/claims')).json()[0].claimId}/cancel`,
      {},
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('1 小时');
    // A place in line may still be given back.
    const dClaim = (await t.get(d.cookie, '/api/v1/me/service/claims')).json()[0].claimId;
    expect(
      (await t.send(d.cookie, 'POST', `/api/v1/me/service/claims/${dClaim}/cancel`, {})).statusCode,
    ).toBe(200);
    // Once it has started, nobody claims it.
    t.clock.set(new Date(NOW.getTime() + 2.1 * H));
    expect((await claim((await member()).cookie, slot)).statusCode).toBe(409);
  });

  it('lists my community’s posts with my compound’s and my skills’ first; other communities see none', async () => {
    t.clock.set(NOW);
    const far = await post({ title: '远处岗位', skills: [] });
    const skilled = await post({ title: '技能岗位', skills: ['理发'] });
    const near = await post({ title: '本小区岗位', compoundId: X.id, communityCode: undefined, skills: [] });
    const me = await member(X, ['理发']);
    const list = (await t.get(me.cookie, '/api/v1/me/service/posts')).json() as {
      id: number;
      fit: unknown;
    }[];
    const ids = list.map((p) => p.id);
    expect(ids.indexOf(near.id)).toBeLessThan(ids.indexOf(skilled.id));
    expect(ids.indexOf(skilled.id)).toBeLessThan(ids.indexOf(far.id));
    expect(list.find((p) => p.id === skilled.id)?.fit).toEqual({ compound: false, skills: ['理发'] });
    // A claim answers with the post as the member sees it, fit included.
    const claimed = await claim(
      me.cookie,
      (list.find((p) => p.id === near.id) as unknown as { slots: { id: number }[] }).slots[0]?.id as number,
    );
    expect(claimed.json().fit).toEqual({ compound: true, skills: [] });
    // Someone with no party record is told to register.
    const resident = await makeUser(t.db, { name: '居民' });
    const r = await t.get(await loginAs(t.app, resident.phone), '/api/v1/me/service/posts');
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('service.not_member');
  });
});

describe('attendance and verification', () => {
  it('checks in and out with the rotating code, caps the hours by the slot, and refuses old, forged and unclaimed codes', async () => {
    t.clock.set(NOW);
    const p = await post({ slots: [{ startsAt: at(1), endsAt: at(3), capacity: 5 }] });
    const slot = p.slots[0]?.id as number;
    const a = await member();
    const stranger = await member();
    await claim(a.cookie, slot);
    // Too early: check-in opens 30 minutes before the start.
    expect((await attend(a.cookie, { token: (await qr(slot, 'in')).token })).json().code).toBe(
      'service.not_open_now',
    );
    t.clock.set(new Date(NOW.getTime() + 0.75 * H));
    const inCode = await qr(slot, 'in');
    // A forged signature, or the code of another phase, does not pass.
    const forged = inCode.token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await attend(a.cookie, { token: forged })).json().code).toBe('service.code_invalid');
    expect((await attend(stranger.cookie, { token: inCode.token })).json().code).toBe('service.not_claimed');
    const checkedIn = await attend(a.cookie, { token: inCode.token });
    expect(checkedIn.statusCode, checkedIn.body).toBe(200);
    expect(checkedIn.json()).toMatchObject({ status: 'onDuty', method: 'qr' });
    // 45 seconds later the screen shows another code, and the old one still works for one window.
    t.clock.advance(45_000);
    expect((await qr(slot, 'in')).token).not.toBe(inCode.token);
    // Out 4 hours after the check-in: the record is capped at the slot's 2 hours.
    t.clock.set(new Date(NOW.getTime() + 3.5 * H));
    const outCode = await qr(slot, 'out');
    const wrongDigits = outCode.digits === '000000' ? '000001' : '000000';
    expect((await attend(a.cookie, { slotId: slot, phase: 'out', digits: wrongDigits })).json().code).toBe(
      'service.code_invalid',
    );
    const out = await attend(a.cookie, { slotId: slot, phase: 'out', digits: outCode.digits });
    expect(out.json()).toMatchObject({ status: 'pending', recordedMinutes: 120 });
    expect((await attend(a.cookie, { slotId: slot, phase: 'out', digits: outCode.digits })).json().code).toBe(
      'service.already_out',
    );
    // A photo of the code replayed a day later is refused.
    t.clock.set(new Date(NOW.getTime() + 26 * H));
    const later = await loginAs(t.app, stranger.phone);
    expect((await attend(later, { token: inCode.token })).json().code).toBe('service.code_invalid');
  });

  it('credits verified hours at the post’s rate, posts only the difference on correction, and keeps every step', async () => {
    t.clock.set(NOW);
    const p = await post({ pointsPerHour: 12, slots: [{ startsAt: at(-3), endsAt: at(-1), capacity: 5 }] });
    // A slot that is over can still be entered by the organiser (the post was published earlier).
    const slot = p.slots[0]?.id as number;
    const a = await member();
    const entered = await t.send(ca.cookie, 'POST', `/api/v1/service/slots/${slot}/records`, {
      memberId: a.id,
      minutes: 90,
    });
    expect(entered.statusCode, entered.body).toBe(200);
    const rec = entered.json();
    expect(rec).toMatchObject({ status: 'pending', method: 'organiser', recordedMinutes: 90, points: 0 });
    // Twice for the same member and slot is refused; more than the slot's length too.
    expect(
      (
        await t.send(ca.cookie, 'POST', `/api/v1/service/slots/${slot}/records`, {
          memberId: a.id,
          minutes: 60,
        })
      ).json().code,
    ).toBe('service.record_exists');
    const b = await member();
    expect(
      (
        await t.send(ca.cookie, 'POST', `/api/v1/service/slots/${slot}/records`, {
          memberId: b.id,
          minutes: 121,
        })
      ).json().code,
    ).toBe('service.minutes_over_slot');
    // Another community cannot see or verify it.
    expect(
      (
        await t.send(cb.cookie, 'POST', `/api/v1/service/records/${rec.id}/verify`, {
          decision: 'approve',
          version: rec.version,
        })
      ).statusCode,
    ).toBe(404);

    const ok = await t.send(ca.cookie, 'POST', `/api/v1/service/records/${rec.id}/verify`, {
      decision: 'approve',
      version: rec.version,
      rating: 5,
    });
    expect(ok.json()).toMatchObject({ status: 'approved', minutes: 90, points: 18, rating: 5 });
    expect(await balance(a.id)).toBe(18);
    // The same click again carries the old version: refused, nothing posted twice.
    expect(
      (
        await t.send(ca.cookie, 'POST', `/api/v1/service/records/${rec.id}/verify`, {
          decision: 'approve',
          version: rec.version,
        })
      ).json().code,
    ).toBe('service.record_stale');
    expect(await balance(a.id)).toBe(18);
    // Corrected down to an hour: 6 points go back. Declined: the rest go back.
    const down = await t.send(ca.cookie, 'POST', `/api/v1/service/records/${rec.id}/verify`, {
      decision: 'adjust',
      version: ok.json().version,
      minutes: 60,
      reason: '提前离岗半小时',
    });
    expect(down.json()).toMatchObject({ minutes: 60, points: 12, reason: '提前离岗半小时' });
    expect(await balance(a.id)).toBe(12);
    const no = await t.send(ca.cookie, 'POST', `/api/v1/service/records/${rec.id}/verify`, {
      decision: 'decline',
      version: down.json().version,
      reason: '核实未到岗',
    });
    expect(no.json()).toMatchObject({ status: 'declined', minutes: null, points: 0 });
    expect(await balance(a.id)).toBe(0);
    const detail = (await t.get(ca.cookie, `/api/v1/service/records/${rec.id}`)).json();
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual([
      'entered',
      'approved',
      'corrected',
      'corrected',
    ]);
    const statement = (await t.get(a.cookie, '/api/v1/me/points')).json().statement.items;
    expect(statement.map((s: { points: number }) => s.points)).toEqual([-12, -6, 18]);
    // The member sees the record, named in full to themselves.
    const mine = (await t.get(a.cookie, '/api/v1/me/service/records')).json().items;
    expect(mine[0]).toMatchObject({ id: rec.id, status: 'declined', member: { name: '服务党员' } });
    // A record still on duty cannot be approved as recorded: the organiser adjusts it.
  });

  it('takes a printed hour code once, and links problems solved to a ticket', async () => {
    t.clock.set(NOW);
    const p = await post({ slots: [{ startsAt: at(-2), endsAt: at(-1), capacity: 5 }] });
    const slot = p.slots[0]?.id as number;
    const codes = (
      await t.send(ca.cookie, 'POST', `/api/v1/service/slots/${slot}/codes`, { count: 3 })
    ).json();
    expect(codes).toHaveLength(3);
    expect(new Set(codes.map((c: { code: string }) => c.code)).size).toBe(3);
    const [a, b] = [await member(), await member()];
    const used = await attend(a.cookie, { code: codes[0].code });
    expect(used.json()).toMatchObject({ method: 'code', status: 'pending', recordedMinutes: 60 });
    expect((await attend(b.cookie, { code: codes[0].code })).json().code).toBe('service.hour_code_invalid');
    // One member, one record per slot, whatever the code.
    expect((await attend(a.cookie, { code: codes[1].code })).json().code).toBe('service.record_exists');
    const list = (await t.get(ca.cookie, `/api/v1/service/slots/${slot}/codes`)).json();
    expect(list.filter((c: { used: boolean }) => c.used)).toHaveLength(1);
    // Four days after the slot, the codes are void.
    t.clock.set(new Date(NOW.getTime() + 4 * 24 * H));
    const bLater = await loginAs(t.app, b.phone);
    expect((await attend(bLater, { code: codes[2].code })).json().code).toBe('service.hour_code_invalid');
    t.clock.set(NOW);

    const rid = used.json().id;
    const missing = await t.send(a.cookie, 'POST', `/api/v1/me/service/records/${rid}/problems`, {
      problemsSolved: '帮独居老人修好水龙头',
      ticketNumber: 'NOPE-1',
    });
    expect(missing.json().code).toBe('service.ticket_not_found');
    const solved = await t.send(a.cookie, 'POST', `/api/v1/me/service/records/${rid}/problems`, {
      problemsSolved: '帮独居老人修好水龙头',
    });
    expect(solved.json()).toMatchObject({ problemsSolved: '帮独居老人修好水龙头', ticketNumber: null });
    // Someone else's record is not theirs to annotate.
    expect(
      (await t.send(b.cookie, 'POST', `/api/v1/me/service/records/${rid}/problems`, { problemsSolved: 'x' }))
        .statusCode,
    ).toBe(404);
  });

  it.runIf(onPostgres)(
    'never overfills a slot, and uses a code once, under simultaneous requests',
    async () => {
      t.clock.set(NOW);
      const p = await post({ slots: [{ startsAt: at(2), endsAt: at(4), capacity: 5 }] });
      const slot = p.slots[0]?.id as number;
      const people = [];
      for (let i = 0; i < 30; i++) people.push(await member());
      const res = await Promise.all(people.map((m) => claim(m.cookie, slot)));
      expect(res.every((r) => r.statusCode === 200)).toBe(true);
      const roster = (await t.get(ca.cookie, `/api/v1/service/slots/${slot}/roster`)).json();
      expect(roster.slot).toMatchObject({ claimed: 5, waitlisted: 25 });
      expect(roster.entries.filter((e: { claim: string }) => e.claim === 'claimed')).toHaveLength(5);
      // The line is in order: positions 1..25 once each.
      expect(
        roster.entries
          .filter((e: { position: number | null }) => e.position !== null)
          .map((e: { position: number }) => e.position),
      ).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));

      const past = await post({ slots: [{ startsAt: at(-2), endsAt: at(-1), capacity: 50 }] });
      const [code] = (
        await t.send(ca.cookie, 'POST', `/api/v1/service/slots/${past.slots[0]?.id}/codes`, { count: 1 })
      ).json();
      const tries = await Promise.all(people.slice(0, 20).map((m) => attend(m.cookie, { code: code.code })));
      expect(tries.filter((r) => r.statusCode === 200)).toHaveLength(1);
      expect(tries.filter((r) => r.json().code === 'service.hour_code_invalid')).toHaveLength(19);
    },
  );
});
