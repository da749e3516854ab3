/**
 * Material for the service and points scenarios of bench/tickets.ts, made in SQL before the
 * servers start: bench members (1841…, the demo password) on the demo community's ledger, a
 * service post whose slots are under way with every bench member holding a place on each (fresh
 * per run, so every check-in is a first one), and merchants with one offer each, stocked and
 * limited far beyond what a run spends, the members' accounts topped up to pay for it.
 */
import type { Session } from '../src/server/demo/fill-tickets.ts';

/** The demo's 文兴社区, where the demo member and merchants are. */
const COMMUNITY = '140213066004';
export const SERVICE_MEMBERS = 200;
const SLOTS = 80;
const MERCHANTS = 40;

export interface ServiceMaterial {
  memberPhones: string[];
  slots: { id: number; secret: Buffer }[];
  offerIds: number[];
}

export async function prepareServiceMaterial(db: Session, runId: string): Promise<ServiceMaterial> {
  const [c] = (
    await db.query(
      `select id, path, community_code, county_code from compounds where community_code = $1 order by id limit 1`,
      [COMMUNITY],
    )
  ).rows;
  if (!c) throw new Error(`bench: no compound in the demo community ${COMMUNITY}`);
  await db.query(
    `insert into users (phone, name, password_hash)
     select '1841' || lpad(i::text, 7, '0'), '压测党员' || i, (select password_hash from users where phone = '10000000009')
     from generate_series(1, ${SERVICE_MEMBERS}) i
     on conflict (phone) do nothing`,
  );
  // Invented members: the sealed ID is random bytes (no real number exists behind it).
  await db.query(
    `insert into party_members (user_id, name, sex, birth_date, id_sealed, id_index, id_masked, phone,
       compound_id, community_code, county_code, path, ledger, created_at, updated_at)
     select u.id, u.name, 'male', date '1980-01-01', decode(md5(random()::text) || md5(random()::text) || md5(random()::text), 'hex'), sha256(('bench-member-' || u.phone)::bytea),
       '140213********0000', u.phone, $1, $2, $3, $4, 'inService', now(), now()
     from users u where u.phone like '1841%' and u.phone <= '1841' || lpad('${SERVICE_MEMBERS}', 7, '0')
     on conflict do nothing`,
    [c.id, c.community_code, c.county_code, c.path],
  );
  const members = (
    await db.query(
      `select m.id, u.phone from party_members m join users u on u.id = m.user_id
       where u.phone like '1841%' order by u.phone limit ${SERVICE_MEMBERS}`,
    )
  ).rows as { id: string; phone: string }[];

  // A post with slots under way (began 10 minutes ago), every member holding a place on each.
  const [post] = (
    await db.query(
      `insert into service_posts (community_code, path, title, kind, place, content, cancel_hours, created_at, updated_at)
       select r.code, r.path, '压测岗位 ' || $2::text, 'civility', '文兴路口', '压测', 12, now(), now()
       from regions r where r.code = $1::text returning id`,
      [COMMUNITY, runId],
    )
  ).rows;
  const slots = (
    await db.query(
      `insert into service_slots (post_id, starts_at, ends_at, capacity, claimed, qr_secret, created_at)
       select $1, now() - interval '10 minutes', now() + interval '4 hours', ${SERVICE_MEMBERS}, ${members.length},
         decode(md5(random()::text) || md5(random()::text), 'hex'), now()
       from generate_series(1, ${SLOTS}) returning id, qr_secret`,
      [post.id],
    )
  ).rows as { id: string; qr_secret: Buffer }[];
  await db.query(
    `insert into service_claims (slot_id, member_id, status, created_at)
     select s.id, m.id, 'claimed', now() from service_slots s, party_members m
     where s.post_id = $1 and m.id = any($2::bigint[])`,
    [post.id, members.map((m) => m.id)],
  );

  // Merchants with one offer each, and points to spend.
  const now = new Date();
  const day = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  await db.query(
    `insert into points_merchants (name, community_code, path, created_at)
     select '压测商家' || i, r.code, r.path, now() from generate_series(1, ${MERCHANTS}) i, regions r where r.code = $1::text
     on conflict do nothing`,
    [COMMUNITY],
  );
  await db.query(
    `insert into points_accounts (kind, merchant_id, created_at)
     select 'merchant', m.id, now() from points_merchants m where m.name like '压测商家%'
     on conflict do nothing`,
  );
  const offers = (
    await db.query(
      `insert into points_offers (merchant_id, title, category, price, stock, per_member_limit, valid_from, valid_until, created_at)
       select m.id, '压测优惠 ' || $1, 'daily', 1, 100000000, 100000000, $2, $3, now()
       from points_merchants m where m.name like '压测商家%' returning id`,
      [runId, day(-1), day(30)],
    )
  ).rows as { id: string }[];
  await db.query(
    `insert into points_accounts (kind, community_code, created_at) values ('issuer', $1, now())
     on conflict do nothing`,
    [COMMUNITY],
  );
  await db.query(
    `insert into points_accounts (kind, member_id, created_at)
     select 'member', id, now() from party_members where id = any($1::bigint[]) on conflict do nothing`,
    [members.map((m) => m.id)],
  );
  // Top-ups through the ledger's own rows (a transfer and both balances), as an award would.
  await db.query(
    `with issuer as (select id from points_accounts where kind = 'issuer' and community_code = $1),
     poor as (select a.id from points_accounts a where a.member_id = any($2::bigint[]) and a.balance < 100000),
     t as (
       insert into points_transfers (idempotency_key, request_hash, kind, from_account_id, to_account_id, amount, source, reason, created_at)
       select 'bench-topup-' || $3 || '-' || p.id, 'bench', 'award', (select id from issuer), p.id, 1000000, 'award', '压测充值', now()
       from poor p returning to_account_id, amount
     ),
     up as (update points_accounts a set balance = a.balance + t.amount from t where a.id = t.to_account_id returning t.amount)
     update points_accounts set balance = balance - (select coalesce(sum(amount), 0) from up)
     where id = (select id from issuer)`,
    [COMMUNITY, members.map((m) => m.id), runId],
  );
  return {
    memberPhones: members.map((m) => m.phone),
    slots: slots.map((s) => ({ id: Number(s.id), secret: s.qr_secret })),
    offerIds: offers.map((o) => Number(o.id)),
  };
}
