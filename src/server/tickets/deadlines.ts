import { sql } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { publish } from '../core/events.ts';
import type { Db } from '../db/index.ts';
import { decide } from './workflow.ts';

/**
 * The deadline sweep: warns at 80 % of each limit, marks overdue, escalates overdue tickets to
 * the township and then the county, and closes follow-ups nobody answered. Its state lives in the
 * tickets themselves (the *_warned_at / *_overdue_at marks), so it is idempotent: running it twice,
 * or on several instances, does each thing once. A transaction-scoped advisory lock lets one
 * instance sweep at a time; the others skip that round.
 */

export interface SweepResult {
  skipped: boolean;
  acceptWarned: number;
  acceptOverdue: number;
  checkInWarned: number;
  checkInOverdue: number;
  resolveWarned: number;
  resolveOverdue: number;
  escalatedToCounty: number;
  followUpsClosed: number;
}

/** How long past due before a township-supervised ticket goes up to the county. */
export const COUNTY_ESCALATION_HOURS = 24;
/** Rows handled per kind per sweep, so one sweep stays short on the embedded database. */
const BATCH = 500;

const rowsOf = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;

export async function runDeadlineSweep(db: Db, clock: Clock): Promise<SweepResult> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const locked = rowsOf(
      await t.execute(sql`select pg_try_advisory_xact_lock(hashtext('gongzhi:deadline-sweep')) as ok`),
    );
    const empty: SweepResult = {
      skipped: true,
      acceptWarned: 0,
      acceptOverdue: 0,
      checkInWarned: 0,
      checkInOverdue: 0,
      resolveWarned: 0,
      resolveOverdue: 0,
      escalatedToCounty: 0,
      followUpsClosed: 0,
    };
    if (!locked[0]?.ok) return empty;

    // Each step marks a batch and writes one internal timeline event per ticket in the same
    // statement, so a mark never exists without its event.
    const mark = async (q: ReturnType<typeof sql>) => Number(rowsOf(await t.execute(q))[0]?.n ?? 0);

    const ticketStep = (
      markCol: string,
      dueCol: string,
      statuses: string[],
      kind: 'warn' | 'overdue',
      deadline: 'accept' | 'resolve',
      escalate: boolean,
    ) => sql`
      with hit as (
        select id, ${sql.raw(dueCol)} as due from tickets
        where status in (${sql.join(
          statuses.map((s) => sql`${s}`),
          sql`, `,
        )})
          and ${sql.raw(markCol)} is null
          and ${sql.raw(kind === 'warn' ? dueCol.replace('_due_', '_warn_') : dueCol)} <= ${now}
        order by ${sql.raw(kind === 'warn' ? dueCol.replace('_due_', '_warn_') : dueCol)}
        limit ${BATCH} for update skip locked
      ), upd as (
        update tickets t set ${sql.raw(markCol)} = ${now}, updated_at = ${now}
          ${escalate ? sql`, supervised_level = coalesce(t.supervised_level, 'township')` : sql``}
        from hit where t.id = hit.id
        returning t.id, t.status, hit.due
      ), ev as (
        insert into ticket_events (ticket_id, at, kind, note, public, data)
        select id, ${now}, ${kind}, null, false,
          jsonb_build_object('deadline', ${deadline}::text, 'dueAt', due${escalate ? sql`, 'escalatedTo', 'township'` : sql``})
        from upd returning 1
      )
      select count(*)::int as n from ev`;

    const acceptWarned = await mark(
      ticketStep('accept_warned_at', 'accept_due_at', ['submitted'], 'warn', 'accept', false),
    );
    const acceptOverdue = await mark(
      ticketStep('accept_overdue_at', 'accept_due_at', ['submitted'], 'overdue', 'accept', true),
    );
    const working = ['accepted', 'whistled', 'inProgress'];
    const resolveWarned = await mark(
      ticketStep('resolve_warned_at', 'resolve_due_at', working, 'warn', 'resolve', false),
    );
    const resolveOverdue = await mark(
      ticketStep('resolve_overdue_at', 'resolve_due_at', working, 'overdue', 'resolve', true),
    );

    const dispatchStep = (markCol: string, dueCol: string, kind: 'warn' | 'overdue') => sql`
      with hit as (
        select d.id, d.ticket_id, d.department_id, d.check_in_due_at as due from ticket_dispatches d
        where d.status = 'pending' and d.${sql.raw(markCol)} is null and d.${sql.raw(dueCol)} <= ${now}
        order by d.${sql.raw(dueCol)} limit ${BATCH} for update skip locked
      ), upd as (
        update ticket_dispatches x set ${sql.raw(markCol)} = ${now}, updated_at = ${now}
        from hit where x.id = hit.id returning hit.ticket_id, hit.department_id, hit.due
      ), esc as (
        update tickets t set supervised_level = coalesce(t.supervised_level, 'township'), updated_at = ${now}
        where ${kind === 'overdue' ? sql`t.id in (select ticket_id from upd)` : sql`false`}
      ), ev as (
        insert into ticket_events (ticket_id, at, department_id, kind, note, public, data)
        select ticket_id, ${now}, department_id, ${kind}, null, false,
          jsonb_build_object('deadline', 'checkIn', 'dueAt', due)
        from upd returning 1
      )
      select count(*)::int as n from ev`;
    const checkInWarned = await mark(dispatchStep('check_in_warned_at', 'check_in_warn_at', 'warn'));
    const checkInOverdue = await mark(dispatchStep('check_in_overdue_at', 'check_in_due_at', 'overdue'));

    // Still overdue a day after the township was told: the county supervises.
    const countyAfter = new Date(now.getTime() - COUNTY_ESCALATION_HOURS * 3_600_000);
    const escalatedToCounty = await mark(sql`
      with hit as (
        select id from tickets
        where supervised_level = 'township'
          and status in ('submitted', 'accepted', 'whistled', 'inProgress')
          and coalesce(least(accept_overdue_at, resolve_overdue_at), accept_overdue_at, resolve_overdue_at) <= ${countyAfter}
        order by id limit ${BATCH} for update skip locked
      ), upd as (
        update tickets t set supervised_level = 'county', updated_at = ${now} from hit where t.id = hit.id returning t.id
      ), ev as (
        insert into ticket_events (ticket_id, at, kind, note, public, data)
        select id, ${now}, 'escalate', null, false, jsonb_build_object('escalatedTo', 'county') from upd returning 1
      )
      select count(*)::int as n from ev`);

    // Follow-ups nobody answered in time close as "no rating", through the workflow like any move.
    const due = rowsOf(
      await t.execute(sql`
        select id, status, reopen_count, handled_by_self, reporter_user_id from tickets
        where status = 'confirmed' and follow_up_due_at <= ${now}
        order by id limit ${BATCH} for update skip locked`),
    );
    let followUpsClosed = 0;
    for (const r of due) {
      const d = decide(
        {
          status: 'confirmed',
          reopenCount: Number(r.reopen_count),
          handledBySelf: Boolean(r.handled_by_self),
          reporterHasAccount: r.reporter_user_id !== null,
          dispatches: [],
          extendable: false,
          extension: null,
          resolveOverdue: false,
        },
        { kind: 'expireFollowUp' },
        { community: false, supervisor: false, departmentIds: [], reporter: false, system: true },
      );
      await t.execute(sql`
        update tickets set status = ${d.status}, outcome = ${d.outcome}, closed_at = ${now}, updated_at = ${now}
        where id = ${Number(r.id)} and status = 'confirmed'`);
      await t.execute(sql`
        insert into ticket_events (ticket_id, at, kind, from_status, to_status, note, public, data)
        values (${Number(r.id)}, ${now}, 'expireFollowUp', 'confirmed', ${d.status}, null, true,
          jsonb_build_object('outcome', ${d.outcome}::text))`);
      followUpsClosed++;
    }

    // Queues show overdue marks and closed follow-ups: tell every open screen to refetch.
    if (acceptOverdue + checkInOverdue + resolveOverdue + escalatedToCounty + followUpsClosed > 0)
      await publish(t, { kind: 'resync' });
    return {
      skipped: false,
      acceptWarned,
      acceptOverdue,
      checkInWarned,
      checkInOverdue,
      resolveWarned,
      resolveOverdue,
      escalatedToCounty,
      followUpsClosed,
    };
  });
}

/** Runs the sweep every `seconds` until stopped; errors are logged, never fatal. */
export function startDeadlineSweeper(
  db: Db,
  clock: Clock,
  seconds: number,
  log: {
    error(o: object, msg: string): void;
    info(o: object, msg: string): void;
    debug(o: object, msg: string): void;
  },
  /** Runs after each sweep (the SMS outbox). */
  after: () => Promise<unknown> = async () => {},
): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = runDeadlineSweep(db, clock)
      .then((r) => {
        const n = Object.entries(r).filter(([k, v]) => k !== 'skipped' && v);
        if (n.length) log.info({ sweep: Object.fromEntries(n) }, 'deadline sweep');
        else
          log.debug(
            { skipped: r.skipped },
            r.skipped
              ? 'deadline sweep skipped: another instance is sweeping'
              : 'deadline sweep: nothing due',
          );
      })
      .then(after)
      .catch((err) => log.error({ err }, 'deadline sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  const ms = seconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  // Instances started together would tick together every round, and all but one would find the
  // lock taken: a random first delay spreads them over the interval, so they take turns.
  const first = setTimeout(() => {
    timer = setInterval(tick, ms);
    timer.unref();
    tick();
  }, Math.random() * ms);
  first.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
