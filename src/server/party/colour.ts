/**
 * 五色管理: a county's scheme suggests each member's colour from their record; staff may choose
 * another (with a reason). The same rules run in JS (one record) and in SQL (filters and counts
 * over many), built from the same scheme entries.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Colour, ColourEntry, Ledger } from '../../contracts/party-states.ts';
import { partyMembers } from './tables.ts';

export interface ColourFacts {
  ledger: Ledger;
  frail: boolean;
  birthDate: string;
}

/** Whole years between a birth date and a day, both YYYY-MM-DD. */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The day `years` years before `today` (29 February falls back to the 28th). */
export function yearsBefore(today: string, years: number): string {
  const y = String(Number(today.slice(0, 4)) - years).padStart(4, '0');
  const md = today.slice(5);
  if (md === '02-29') {
    const leap = (n: number) => (n % 4 === 0 && n % 100 !== 0) || n % 400 === 0;
    return `${y}-${leap(Number(y)) ? '02-29' : '02-28'}`;
  }
  return `${y}-${md}`;
}

export function suggestColour(scheme: readonly ColourEntry[], m: ColourFacts, today: string): Colour | null {
  for (const e of scheme) {
    const r = e.rule;
    if (
      (r.kind === 'ledger' && r.ledgers.includes(m.ledger)) ||
      (r.kind === 'frail' && m.frail) ||
      (r.kind === 'ageAtLeast' && ageOn(m.birthDate, today) >= r.years) ||
      r.kind === 'otherwise'
    )
      return e.colour;
  }
  return null;
}

/** The suggestion as a SQL CASE over party_members' columns. */
function suggestionSql(scheme: readonly ColourEntry[], today: string): SQL {
  const arms = scheme.map((e) => {
    const r = e.rule;
    const cond =
      r.kind === 'ledger'
        ? sql`${partyMembers.ledger} in (${sql.join(
            r.ledgers.map((l) => sql`${l}`),
            sql`, `,
          )})`
        : r.kind === 'frail'
          ? sql`${partyMembers.frail}`
          : r.kind === 'ageAtLeast'
            ? sql`${partyMembers.birthDate} <= ${yearsBefore(today, r.years)}::date`
            : sql`true`;
    return sql`when ${cond} then ${e.colour}::text`;
  });
  return sql`case ${sql.join(arms, sql` `)} else null end`;
}

/**
 * A member's colour in SQL: staff's choice, else the suggestion of their county's scheme
 * (`schemes` holds the counties that set their own; the others use `fallback`).
 */
export function colourSql(
  schemes: ReadonlyMap<string, readonly ColourEntry[]>,
  fallback: readonly ColourEntry[],
  today: string,
): SQL {
  const perCounty = [...schemes].map(
    ([county, scheme]) =>
      sql`when ${partyMembers.countyCode} = ${county} then ${suggestionSql(scheme, today)}`,
  );
  const otherwise = suggestionSql(fallback, today);
  if (perCounty.length === 0) return sql`coalesce(${partyMembers.colour}, ${otherwise})`;
  return sql`coalesce(${partyMembers.colour}, case ${sql.join(perCounty, sql` `)} else ${otherwise} end)`;
}
