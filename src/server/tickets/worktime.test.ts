import { describe, expect, it } from 'vitest';
import {
  addLimit,
  type DayOverride,
  DEFAULT_SCHEDULE,
  formatLimit,
  type Limit,
  limitCode,
  parseLimit,
  shanghaiDate,
  type WorkCalendar,
  type WorkSchedule,
  workCalendar,
  workingMinutesBetween,
} from './worktime.ts';

/** 'YYYY-MM-DD HH:MM[:SS]' in Shanghai time → Date. */
const sh = (s: string): Date => {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(:\d{2})?$/.exec(s);
  if (!m) throw new Error(`bad test instant ${s}`);
  return new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`);
};
/** Date → 'YYYY-MM-DD HH:MM' in Shanghai time, so failures read like the table. */
const show = (d: Date): string => {
  const iso = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  const secs = iso.slice(17, 23) === '00.000' ? '' : `:${iso.slice(17, 23)}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${secs}`;
};

const cal = workCalendar();

// 2026 official calendar as shipped by chinese-days 1.5.7 (国办发明电〔2025〕7号):
//   New Year 01-01..01-03 off, 01-04 (Sun) worked; Spring Festival 02-15..02-23 off, 02-14 and 02-28
//   (Sat) worked; Qingming 04-04..04-06; Labour Day 05-01..05-05 off, 05-09 (Sat) worked; Dragon Boat
//   06-19..06-21; Mid-Autumn 09-25..09-27; National Day 10-01..10-07 off, 09-20 (Sun) and 10-10 (Sat)
//   worked. Default schedule 08:30–12:00 and 14:30–18:00 = 420 working minutes a day.
// 2026-11-25 is a Wednesday; 2026-11-27 a Friday; 2026-12-31 a Thursday; 2027-01-01 a Friday.

describe('the calendar', () => {
  it.each([
    ['2026-11-25', true, 'ordinary Wednesday'],
    ['2026-11-28', false, 'ordinary Saturday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'last day of the National Day break (in lieu)'],
    ['2026-10-08', true, 'first workday after National Day'],
    ['2026-09-20', true, 'Sunday made a workday for National Day'],
    ['2026-10-10', true, 'Saturday made a workday for National Day'],
    ['2026-02-14', true, 'Saturday made a workday for Spring Festival'],
    ['2026-02-23', false, 'Monday inside the Spring Festival break'],
    ['2026-01-04', true, 'Sunday made a workday for New Year'],
    ['2025-01-26', true, '2025 Spring Festival make-up Sunday'],
    ['2027-01-01', true, 'New Year 2027: not in chinese-days 1.5.7, so only weekends are known'],
  ])('%s is a workday: %s (%s)', (date, expected) => {
    expect(cal.isWorkday(date)).toBe(expected);
  });

  it('knows the official years 2004–2026 and nothing outside them', () => {
    expect([2003, 2004, 2015, 2025, 2026, 2027].map((y) => cal.covers(y))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('lets overrides win over the official calendar and mark their year as covered', () => {
    const c = workCalendar([
      { date: '2026-11-26', workday: false, note: 'typhoon' },
      { date: '2026-11-28', workday: true },
      { date: '2026-10-02', workday: true },
      { date: '2026-10-10', workday: false },
      { date: '2027-01-01', workday: false, note: 'New Year 2027, entered by hand' },
    ]);
    expect(['2026-11-26', '2026-11-28', '2026-10-02', '2026-10-10', '2027-01-01'].map(c.isWorkday)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(c.covers(2027)).toBe(true);
    expect(c.covers(2028)).toBe(false);
    expect(c.isWorkday('2026-11-27')).toBe(true);
  });

  it('agrees with chinese-days.isWorkday on every day it knows, in a time zone where that is reliable', async () => {
    const saved = process.env.TZ;
    try {
      // chinese-days builds its table with local-time Date methods at load time (see worktime.ts).
      process.env.TZ = 'Asia/Shanghai';
      const { default: chineseDays } = await import('chinese-days');
      expect(chineseDays.isWorkday('2026-10-12')).toBe(true);
      const mismatches: string[] = [];
      for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
        const d = new Date(t).toISOString().slice(0, 10);
        if (cal.isWorkday(d) !== chineseDays.isWorkday(d)) mismatches.push(d);
      }
      expect(mismatches).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('gives the same answers whatever time zone the server runs in', () => {
    const probe = () => [
      show(addLimit(cal, sh('2026-10-09 10:00'), { amount: 2, unit: 'workingDays' })),
      cal.isWorkday('2026-10-12'),
      cal.isWorkday('2026-10-10'),
      shanghaiDate(sh('2026-10-01 00:30')),
      workingMinutesBetween(cal, sh('2026-09-30 17:00'), sh('2026-10-08 09:30')),
    ];
    const saved = process.env.TZ;
    try {
      const results = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Pacific/Kiritimati'].map((tz) => {
        process.env.TZ = tz;
        return probe();
      });
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-14 * 60); // TZ really changed
      for (const r of results) expect(r).toEqual(['2026-10-12 10:00', true, true, '2026-10-01', 120]);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it.each([
    ['2026-09-30T15:59:59.999Z', '2026-09-30'],
    ['2026-09-30T16:00:00.000Z', '2026-10-01'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
  ])('shanghaiDate(%s) = %s', (utc, date) => {
    expect(shanghaiDate(new Date(utc))).toBe(date);
  });
});

describe('addLimit', () => {
  const wed = workCalendar([{ date: '2026-11-26', workday: false, note: 'typhoon closes offices' }]);
  const sat = workCalendar([{ date: '2026-11-28', workday: true, note: 'make-up Saturday' }]);
  const nye = workCalendar([{ date: '2027-01-01', workday: false }]);
  const official = workCalendar([
    { date: '2026-10-02', workday: true },
    { date: '2026-10-10', workday: false },
  ]);
  const nineToFive = workCalendar([], { periods: [['09:00', '17:00']] });
  const roundTheClock = workCalendar([], { periods: [['00:00', '24:00']] });

  it.each<[string, WorkCalendar, string, string, number, string]>([
    // [case, calendar, start (Shanghai), limit, fraction, due (Shanghai)]
    ['plain minutes ignore holidays', cal, '2026-10-01 10:00', '30m', 1, '2026-10-01 10:30'],
    ['plain hours ignore holidays', cal, '2026-09-30 16:00', '24h', 1, '2026-10-01 16:00'],
    ['plain days are 24 h each', cal, '2026-09-30 16:00', '7d', 1, '2026-10-07 16:00'],
    ['15 plain days across Spring Festival', cal, '2026-02-13 09:00', '15d', 1, '2026-02-28 09:00'],
    ['fraction scales plain hours (80% of 24 h)', cal, '2026-09-30 16:00', '24h', 0.8, '2026-10-01 11:12'],
    ['fraction scales plain days (80% of 15 d)', cal, '2026-02-13 09:00', '15d', 0.8, '2026-02-25 09:00'],
    ['zero plain limit', cal, '2026-11-25 13:00', '0m', 1, '2026-11-25 13:00'],

    ['working hours within one period', cal, '2026-11-25 08:30', '2wh', 1, '2026-11-25 10:30'],
    ['used up exactly at noon stays at noon', cal, '2026-11-25 10:00', '2wh', 1, '2026-11-25 12:00'],
    ['lunch break is skipped', cal, '2026-11-25 11:00', '2wh', 1, '2026-11-25 15:30'],
    ['start in lunch break counts from 14:30', cal, '2026-11-25 12:30', '30wm', 1, '2026-11-25 15:00'],
    ['start before work counts from 08:30', cal, '2026-11-25 07:00', '30wm', 1, '2026-11-25 09:00'],
    ['start at 18:00 counts from next morning', cal, '2026-11-25 18:00', '30wm', 1, '2026-11-26 09:00'],
    ['Friday evening runs into Monday', cal, '2026-11-27 17:30', '2wh', 1, '2026-11-30 10:00'],
    ['received Saturday counts from Monday', cal, '2026-11-28 10:00', '90wm', 1, '2026-11-30 10:00'],
    ['a whole day of working hours ends at 18:00', cal, '2026-11-25 08:30', '7wh', 1, '2026-11-25 18:00'],
    ['fraction of working hours (80% of 2 h)', cal, '2026-11-25 16:00', '2wh', 0.8, '2026-11-25 17:36'],
    ['fraction ending exactly at 18:00', cal, '2026-11-25 17:00', '2wh', 0.5, '2026-11-25 18:00'],
    ['zero working limit outside working time', cal, '2026-11-28 10:00', '0wh', 1, '2026-11-28 10:00'],

    ['1 working day from Friday 10:00', cal, '2026-11-27 10:00', '1wd', 1, '2026-11-30 10:00'],
    ['1 working day from Saturday', cal, '2026-11-28 10:00', '1wd', 1, '2026-11-30 18:00'],
    ['1 working day from 08:30', cal, '2026-11-25 08:30', '1wd', 1, '2026-11-25 18:00'],
    ['1 working day from the lunch break', cal, '2026-11-25 12:30', '1wd', 1, '2026-11-26 12:00'],
    ['80% of 1 working day (336 min)', cal, '2026-11-27 10:00', '1wd', 0.8, '2026-11-30 08:36'],
    ['15 working days, plain weeks', cal, '2026-11-16 09:00', '15wd', 1, '2026-12-07 09:00'],

    ['National Day: 1 working day from 09-30 16:00', cal, '2026-09-30 16:00', '1wd', 1, '2026-10-08 16:00'],
    ['National Day: 2 working hours ending on 09-30', cal, '2026-09-30 16:00', '2wh', 1, '2026-09-30 18:00'],
    ['National Day: 2 working hours across it', cal, '2026-09-30 17:00', '2wh', 1, '2026-10-08 09:30'],
    ['received on National Day', cal, '2026-10-01 09:00', '30wm', 1, '2026-10-08 09:00'],
    ['make-up Saturday 10-10 counts', cal, '2026-10-09 10:00', '1wd', 1, '2026-10-10 10:00'],
    ['make-up Saturday then Sunday off', cal, '2026-10-09 10:00', '2wd', 1, '2026-10-12 10:00'],
    ['make-up Sunday 09-20 counts', cal, '2026-09-18 10:00', '1wd', 1, '2026-09-20 10:00'],
    ['Mid-Autumn Friday 09-25 is off', cal, '2026-09-24 16:00', '1wd', 1, '2026-09-28 16:00'],
    ['Spring Festival: make-up Saturday 02-14', cal, '2026-02-13 17:00', '1wd', 1, '2026-02-14 17:00'],
    ['Spring Festival: whole break skipped', cal, '2026-02-14 18:30', '1wd', 1, '2026-02-24 18:00'],
    ['Spring Festival: 15 working days', cal, '2026-02-13 09:00', '15wd', 1, '2026-03-12 09:00'],
    ['New Year 2026 with make-up Sunday 01-04', cal, '2025-12-31 16:00', '1wd', 1, '2026-01-04 16:00'],
    ['into 2027 without its holidays: 01-01 worked', cal, '2026-12-31 16:00', '1wd', 1, '2027-01-01 16:00'],
    ['into 2027 with New Year entered by hand', nye, '2026-12-31 16:00', '1wd', 1, '2027-01-04 16:00'],

    ['override: weekday made a holiday', wed, '2026-11-25 16:00', '1wd', 1, '2026-11-27 16:00'],
    ['override: Saturday made a workday', sat, '2026-11-27 10:00', '1wd', 1, '2026-11-28 10:00'],
    ['override: official holiday made a workday', official, '2026-09-30 16:00', '1wd', 1, '2026-10-02 16:00'],
    [
      'override: official make-up day made a holiday',
      official,
      '2026-10-09 10:00',
      '1wd',
      1,
      '2026-10-12 10:00',
    ],

    [
      'custom 09:00–17:00 schedule: a day is 8 h',
      nineToFive,
      '2026-11-27 13:00',
      '1wd',
      1,
      '2026-11-30 13:00',
    ],
    [
      'round-the-clock workdays skip the weekend',
      roundTheClock,
      '2026-11-27 20:00',
      '24wh',
      1,
      '2026-11-30 20:00',
    ],
  ])('%s', (_name, c, start, limit, fraction, due) => {
    expect(show(addLimit(c, sh(start), parseLimit(limit), fraction))).toBe(due);
  });

  it('keeps seconds of the start instant', () => {
    expect(show(addLimit(cal, sh('2026-11-25 09:00:30'), { amount: 1, unit: 'workingHours' }))).toBe(
      '2026-11-25 10:00:30.000',
    );
  });

  it('steps through the calendar a day at a time, not a minute at a time', () => {
    let lookups = 0;
    const counting: WorkCalendar = {
      ...cal,
      isWorkday: (d) => {
        lookups++;
        return cal.isWorkday(d);
      },
    };
    expect(show(addLimit(counting, sh('2026-02-13 09:00'), { amount: 15, unit: 'workingDays' }))).toBe(
      '2026-03-12 09:00',
    );
    expect(lookups).toBe(28); // 2026-02-13 .. 2026-03-12
  });

  it('refuses to search forever in a calendar without workdays', () => {
    const never: WorkCalendar = { ...cal, isWorkday: () => false };
    expect(() => addLimit(never, sh('2026-11-25 09:00'), { amount: 1, unit: 'workingMinutes' })).toThrow(
      /Working time not found within 1098 days/,
    );
    // Plain units do not need workdays.
    expect(show(addLimit(never, sh('2026-11-25 09:00'), { amount: 1, unit: 'days' }))).toBe(
      '2026-11-26 09:00',
    );
  });

  it.each<[string, Limit, number, RegExp]>([
    ['negative amount', { amount: -1, unit: 'hours' }, 1, /amount must be a finite number >= 0, got -1/],
    ['NaN amount', { amount: Number.NaN, unit: 'workingHours' }, 1, /amount must be a finite number/],
    ['infinite amount', { amount: Number.POSITIVE_INFINITY, unit: 'days' }, 1, /amount must be a finite/],
    ['unknown unit', { amount: 1, unit: 'weeks' as never }, 1, /Unknown limit unit "weeks"/],
    ['negative fraction', { amount: 1, unit: 'hours' }, -0.5, /Fraction must be a finite number >= 0/],
  ])('rejects %s', (_name, limit, fraction, message) => {
    expect(() => addLimit(cal, sh('2026-11-25 09:00'), limit, fraction)).toThrow(message);
  });

  it('rejects an invalid start', () => {
    expect(() => addLimit(cal, new Date('nope'), { amount: 1, unit: 'hours' })).toThrow(
      /start must be a valid Date/,
    );
  });
});

describe('workingMinutesBetween', () => {
  it.each([
    ['a full day', '2026-11-25 08:30', '2026-11-25 18:00', 420],
    ['across lunch', '2026-11-25 11:00', '2026-11-25 15:00', 90],
    ['inside lunch', '2026-11-25 12:10', '2026-11-25 14:20', 0],
    ['over a weekend', '2026-11-27 17:00', '2026-11-30 09:00', 90],
    ['over National Day', '2026-09-30 08:30', '2026-10-08 18:00', 840],
    ['over Spring Festival with make-up Saturday', '2026-02-13 08:30', '2026-02-24 18:00', 1260],
    ['with seconds', '2026-11-25 08:30:30', '2026-11-25 08:31:00', 0.5],
    ['same instant', '2026-11-25 09:00', '2026-11-25 09:00', 0],
    ['backwards is negative', '2026-11-30 09:00', '2026-11-27 17:00', -90],
  ])('%s: %s → %s = %d', (_name, a, b, minutes) => {
    expect(workingMinutesBetween(cal, sh(a), sh(b))).toBe(minutes);
  });
});

describe('against a minute-by-minute count', () => {
  // An independent, deliberately naive reading of the rules: walk one minute at a time and stop
  // when the N-th working minute has ended.
  const periodMinutes = DEFAULT_SCHEDULE.periods.map(([s, e]) => [toMin(s), toMin(e)] as const);
  function toMin(hhmm: string): number {
    const [h, m] = hhmm.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  }
  function naiveDue(c: WorkCalendar, start: Date, minutes: number): Date {
    const workdays = new Map<string, boolean>();
    const isWorkday = (d: string) => workdays.get(d) ?? workdays.set(d, c.isWorkday(d)).get(d);
    let t = start.getTime();
    for (let counted = 0; counted < minutes; t += 60_000) {
      const local = new Date(t + 8 * 3_600_000);
      const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
      const working =
        isWorkday(local.toISOString().slice(0, 10)) &&
        periodMinutes.some(([s, e]) => minuteOfDay >= s && minuteOfDay < e);
      if (working) counted++;
    }
    return new Date(t);
  }

  it('agrees on 300 random starts through 2026, holidays included', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const from = sh('2026-01-01 00:00').getTime();
    const span = sh('2026-12-20 00:00').getTime() - from;
    for (let i = 0; i < 300; i++) {
      const start = new Date(from + Math.floor((random() * span) / 60_000) * 60_000);
      const minutes = Math.floor(random() * 1500);
      const due = addLimit(cal, start, { amount: minutes, unit: 'workingMinutes' });
      expect(show(due), `${show(start)} + ${minutes} wm`).toBe(show(naiveDue(cal, start, minutes)));
      expect(workingMinutesBetween(cal, start, due)).toBe(minutes);
    }
  });
});

describe('parseLimit and formatLimit', () => {
  it.each<[string, Limit, string, string]>([
    ['2wh', { amount: 2, unit: 'workingHours' }, '2 个工作小时', '2 working hours'],
    ['1wh', { amount: 1, unit: 'workingHours' }, '1 个工作小时', '1 working hour'],
    ['30m', { amount: 30, unit: 'minutes' }, '30 分钟', '30 minutes'],
    ['1m', { amount: 1, unit: 'minutes' }, '1 分钟', '1 minute'],
    ['1wd', { amount: 1, unit: 'workingDays' }, '1 个工作日', '1 working day'],
    ['15wd', { amount: 15, unit: 'workingDays' }, '15 个工作日', '15 working days'],
    ['24h', { amount: 24, unit: 'hours' }, '24 小时', '24 hours'],
    ['1h', { amount: 1, unit: 'hours' }, '1 小时', '1 hour'],
    ['7d', { amount: 7, unit: 'days' }, '7 天', '7 days'],
    ['1d', { amount: 1, unit: 'days' }, '1 天', '1 day'],
    ['15d', { amount: 15, unit: 'days' }, '15 天', '15 days'],
    ['90wm', { amount: 90, unit: 'workingMinutes' }, '90 个工作分钟', '90 working minutes'],
  ])('%s', (code, limit, zh, en) => {
    expect(parseLimit(code)).toEqual(limit);
    expect(limitCode(limit)).toBe(code);
    expect(formatLimit(limit, 'zh-CN')).toBe(zh);
    expect(formatLimit(limit, 'en')).toBe(en);
  });

  it('tolerates surrounding spaces', () => {
    expect(parseLimit(' 2wh ')).toEqual({ amount: 2, unit: 'workingHours' });
  });

  it.each(['', '2', 'wh', '2x', '2 wh', '-2h', '2.5h', '2WH', '1w', '99999999999999999999d'])(
    'rejects %j',
    (s) => {
      expect(() => parseLimit(s)).toThrow(/Malformed limit/);
    },
  );

  it('refuses to format a bad limit', () => {
    expect(() => formatLimit({ amount: -1, unit: 'days' }, 'en')).toThrow(/amount/);
    expect(() => formatLimit({ amount: 1, unit: 'fortnights' as never }, 'zh-CN')).toThrow(/unit/);
  });
});

describe('bad calendars', () => {
  it.each<[string, WorkSchedule, RegExp]>([
    ['no periods', { periods: [] }, /at least one period/],
    ['single-digit hour', { periods: [['8:30', '12:00']] }, /Malformed period .*HH:MM/],
    ['hour 25', { periods: [['08:30', '25:00']] }, /Malformed period/],
    ['24:00 as a start', { periods: [['24:00', '24:00']] }, /Malformed period/],
    ['not a pair', { periods: [['08:30'] as never] }, /expected \[start, end\]/],
    ['end before start', { periods: [['12:00', '08:30']] }, /must end after it starts/],
    ['empty period', { periods: [['12:00', '12:00']] }, /must end after it starts/],
    [
      'overlapping',
      {
        periods: [
          ['08:30', '12:00'],
          ['11:00', '18:00'],
        ],
      },
      /overlaps or precedes/,
    ],
    [
      'unordered',
      {
        periods: [
          ['14:30', '18:00'],
          ['08:30', '12:00'],
        ],
      },
      /overlaps or precedes/,
    ],
  ])('rejects a schedule with %s', (_name, schedule, message) => {
    expect(() => workCalendar([], schedule)).toThrow(message);
    // Hand-built calendars are checked too, when used.
    const handMade: WorkCalendar = { ...cal, schedule };
    expect(() => addLimit(handMade, sh('2026-11-25 09:00'), { amount: 1, unit: 'workingHours' })).toThrow(
      message,
    );
  });

  it('accepts touching periods', () => {
    const c = workCalendar([], {
      periods: [
        ['08:00', '12:00'],
        ['12:00', '16:00'],
      ],
    });
    expect(show(addLimit(c, sh('2026-11-25 11:00'), { amount: 2, unit: 'workingHours' }))).toBe(
      '2026-11-25 13:00',
    );
  });

  it.each<[string, DayOverride[], RegExp]>([
    ['a malformed date', [{ date: '2026/10/01', workday: true }], /Malformed override date "2026\/10\/01"/],
    [
      'a day that does not exist',
      [{ date: '2026-02-30', workday: true }],
      /Malformed override date "2026-02-30"/,
    ],
    [
      'a non-boolean workday',
      [{ date: '2026-10-01', workday: 'yes' as never }],
      /workday must be true or false/,
    ],
    [
      'contradicting duplicates',
      [
        { date: '2026-10-01', workday: true },
        { date: '2026-10-01', workday: false },
      ],
      /contradict each other for 2026-10-01/,
    ],
  ])('rejects overrides with %s', (_name, overrides, message) => {
    expect(() => workCalendar(overrides)).toThrow(message);
  });

  it('rejects a malformed date query', () => {
    expect(() => cal.isWorkday('2026-1-5')).toThrow(/Malformed date/);
  });
});
