import { inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../core/clock.ts';
import { type Ctx, inRetriedTransaction } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { regions } from '../geo/tables.ts';
import { createTestDb, type TestDb } from '../test/db.ts';
import { transfer } from './ledger.ts';
import { pointsAccounts, pointsMerchants, pointsTransfers } from './tables.ts';

let tdb: TestDb;
let ctx: Ctx;
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

beforeAll(async () => {
  tdb = await createTestDb();
  // One community for the merchants whose accounts stand in for any non-issuing account.
  await tdb.db
    .insert(regions)
    .values({
      code: REGION,
      name: '账本测试社区',
      officialName: '账本测试社区',
      level: 'community',
      path: REGION,
    })
    .onConflictDoNothing();
  ctx = {
    db: tdb.db,
    actor: null,
    clock: fixedClock(new Date('2026-11-26T08:00:00+08:00')),
    ip: null,
    locale: 'zh-CN',
    log: pino({ level: 'silent' }),
  };
}, 60_000);
afterAll(async () => tdb?.close());

let seq = 0;
const REGION = '149999999999';
/** A fresh issuing account and `n` merchants' accounts, ids in that order. */
async function accounts(n: number, opening = 0): Promise<number[]> {
  const run = ++seq;
  const [issuer] = await tdb.db
    .insert(pointsAccounts)
    .values({ kind: 'issuer', communityCode: `9${String(run).padStart(11, '0')}`, createdAt: new Date() })
    .returning({ id: pointsAccounts.id });
  const merchants = await tdb.db
    .insert(pointsMerchants)
    .values(
      Array.from({ length: n }, (_, i) => ({
        name: `商家${run}-${i}`,
        communityCode: REGION,
        path: REGION,
        createdAt: new Date(),
      })),
    )
    .returning({ id: pointsMerchants.id });
  const others = await tdb.db
    .insert(pointsAccounts)
    .values(merchants.map((m) => ({ kind: 'merchant', merchantId: m.id, createdAt: new Date() })))
    .returning({ id: pointsAccounts.id });
  const ids = [issuer?.id as number, ...others.map((o) => o.id)];
  for (const id of ids.slice(1))
    if (opening > 0) await post({ key: `open-${id}`, from: ids[0] as number, to: id, amount: opening });
  return ids;
}

function post(o: { key: string; from: number; to: number; amount: number }) {
  return inRetriedTransaction(ctx, (tx) =>
    transfer(tx, {
      key: o.key,
      kind: 'award',
      fromAccountId: o.from,
      toAccountId: o.to,
      amount: o.amount,
      reason: '测试',
    }),
  );
}

async function balances(ids: number[]) {
  const rows = await tdb.db
    .select({ id: pointsAccounts.id, balance: pointsAccounts.balance })
    .from(pointsAccounts)
    .where(inArray(pointsAccounts.id, ids));
  return new Map(rows.map((r) => [r.id, r.balance]));
}

/** Each account's balance recomputed from the transfers alone. */
async function sums(ids: number[]) {
  const r = (await tdb.db.execute(sql`
    select a.id,
      coalesce((select sum(amount) from points_transfers where to_account_id = a.id), 0)
      - coalesce((select sum(amount) from points_transfers where from_account_id = a.id), 0) as net
    from points_accounts a where a.id in (${sql.join(ids, sql`, `)})`)) as unknown as {
    rows: { id: string | number; net: string | number }[];
  };
  return new Map(r.rows.map((x) => [Number(x.id), Number(x.net)]));
}

describe('points ledger', () => {
  it('keeps its invariants for any sequence of transfers: no balance below zero but the issuer’s, every balance the sum of its movements, the total zero', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            from: fc.nat(4),
            to: fc.nat(4),
            amount: fc.integer({ min: 1, max: 60 }),
            replay: fc.boolean(),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (ops) => {
          const ids = await accounts(4);
          const model = new Map(ids.map((id) => [id, 0]));
          let n = 0;
          for (const op of ops) {
            const from = ids[op.from] as number;
            const to = ids[op.to] as number;
            if (from === to) continue;
            const key = `p${seq}-${++n}`;
            const can = from === ids[0] || (model.get(from) as number) >= op.amount;
            try {
              const first = await post({ key, from, to, amount: op.amount });
              expect(first.replayed).toBe(false);
              expect(can).toBe(true);
              model.set(from, (model.get(from) as number) - op.amount);
              model.set(to, (model.get(to) as number) + op.amount);
              // A retried request (same key, same body) posts nothing more.
              if (op.replay) expect((await post({ key, from, to, amount: op.amount })).replayed).toBe(true);
            } catch (e) {
              expect(e).toBeInstanceOf(AppError);
              expect((e as AppError).code).toBe('points.insufficient');
              expect(can).toBe(false);
            }
          }
          const held = await balances(ids);
          const derived = await sums(ids);
          for (const id of ids) {
            expect(held.get(id)).toBe(model.get(id));
            expect(derived.get(id)).toBe(held.get(id));
            if (id !== ids[0]) expect(held.get(id)).toBeGreaterThanOrEqual(0);
          }
          expect([...held.values()].reduce((a, b) => a + b, 0)).toBe(0);
        },
      ),
      { numRuns: onPostgres ? 40 : 15 },
    );
  }, 120_000);

  it('refuses a key reused for a different transfer, and lets the database refuse what the code might miss', async () => {
    const [issuer, a, b] = await accounts(2, 50);
    await post({ key: 'same-key', from: a as number, to: b as number, amount: 10 });
    await expect(
      post({ key: 'same-key', from: a as number, to: b as number, amount: 11 }),
    ).rejects.toMatchObject({
      code: 'points.key_reused',
    });
    // Straight at the table, past the code: a negative balance, a zero or self transfer are refused.
    await expect(
      tdb.db.execute(sql`update points_accounts set balance = -1 where id = ${a as number}`),
    ).rejects.toThrow();
    await expect(
      tdb.db.insert(pointsTransfers).values({
        idempotencyKey: 'raw-1',
        requestHash: 'x',
        kind: 'award',
        fromAccountId: issuer as number,
        toAccountId: issuer as number,
        amount: 5,
        reason: 'x',
        createdAt: new Date(),
      }),
    ).rejects.toThrow();
    await expect(
      tdb.db.insert(pointsTransfers).values({
        idempotencyKey: 'raw-2',
        requestHash: 'x',
        kind: 'award',
        fromAccountId: issuer as number,
        toAccountId: a as number,
        amount: 0,
        reason: 'x',
        createdAt: new Date(),
      }),
    ).rejects.toThrow();
  });
});

// PGlite is one connection: only a real PostgreSQL shows what concurrent transactions do.
describe.skipIf(!onPostgres)('points ledger under concurrency (PostgreSQL)', () => {
  it('100 simultaneous spends from one account never overdraw it', async () => {
    const [issuer, payer, payee] = await accounts(2, 1000);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        post({
          key: `spend-${seq}-${i}`,
          from: payer as number,
          to: (i % 2 ? payee : issuer) as number,
          amount: 30,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as AppError).code === 'points.insufficient',
    ).length;
    expect(ok).toBe(33);
    expect(refused).toBe(67);
    const held = await balances([payer as number]);
    expect(held.get(payer as number)).toBe(10);
    expect((await sums([payer as number])).get(payer as number)).toBe(10);
  }, 60_000);

  it('the same request sent 20 times at once posts once', async () => {
    const [, a, b] = await accounts(2, 100);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        post({ key: `dup-${seq}`, from: a as number, to: b as number, amount: 7 }),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await balances([a as number])).get(a as number)).toBe(93);
  }, 60_000);

  it('transfers both ways between two accounts at once do not deadlock or lose a point', async () => {
    const [, a, b] = await accounts(2, 500);
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post({
          key: `both-${seq}-${i}`,
          from: (i % 2 ? a : b) as number,
          to: (i % 2 ? b : a) as number,
          amount: 5,
        }),
      ),
    );
    const held = await balances([a as number, b as number]);
    expect(held.get(a as number)).toBe(500);
    expect(held.get(b as number)).toBe(500);
  }, 60_000);
});
