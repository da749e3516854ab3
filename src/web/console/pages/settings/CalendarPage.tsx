import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
// The same table the server's working calendar reads (src/server/tickets/worktime.ts): the API
// sends only the administrators' overrides, so the official days come from here.
import {
  holidays as OFFICIAL_HOLIDAYS,
  workdays as OFFICIAL_WORKDAYS,
} from 'chinese-days/dist/chinese-days.json';
import type { TFunction } from 'i18next';
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  type CalendarOverride,
  type CalendarYear,
  clearCalendarDay,
  getCalendarYear,
  setCalendarDay,
} from '../../../api/index.ts';
import { useLoad } from '../../../ui/useLoad.ts';
import { FormModal } from '../../forms.tsx';
import { actionsColumn } from '../../rowActions.tsx';

/**
 * 节假日与调休: the working calendar that ticket deadlines are counted in. Twelve months of the
 * chosen year showing the official holidays (休) and make-up workdays (班) as the server knows
 * them, with the city administrators' overrides on top; a day opens a form to set or remove an
 * override, and the year's overrides are listed below. A year the built-in table does not know
 * says so and asks for its days to be entered.
 */

const HOLIDAYS: Readonly<Record<string, string>> = OFFICIAL_HOLIDAYS;
const WORKDAYS: Readonly<Record<string, string>> = OFFICIAL_WORKDAYS;
// As on the server: a year is known when the table has its holidays.
const OFFICIAL_YEARS: ReadonlySet<number> = new Set(Object.keys(HOLIDAYS).map((d) => Number(d.slice(0, 4))));
const FIRST_YEAR = Math.min(...OFFICIAL_YEARS);
const LAST_YEAR = Math.max(...OFFICIAL_YEARS);
/** The years GET /api/v1/calendar/:year accepts. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const DAY_MS = 86_400_000;
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

type Lang = 'zh-CN' | 'en';
type OfficialKind = 'workday' | 'weekend' | 'holiday' | 'makeup';
type Kind = OfficialKind | 'overrideRest' | 'overrideWork';

interface Official {
  kind: OfficialKind;
  /** The festival a holiday or make-up workday belongs to: 'National Day,国庆节,3' → both names. */
  name?: { zh: string; en: string };
}

interface DayInfo {
  date: string;
  official: Official;
  override?: CalendarOverride;
  kind: Kind;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const utc = (date: string) => new Date(`${date}T00:00:00Z`);
const addDays = (date: string, n: number) =>
  new Date(utc(date).getTime() + n * DAY_MS).toISOString().slice(0, 10);
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** 0 for Monday … 6 for Sunday: Chinese calendars start the week on Monday. */
const mondayIndex = (date: string) => (utc(date).getUTCDay() + 6) % 7;

function shanghaiToday(): string {
  // en-CA writes YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

function festival(v: string): Official['name'] {
  const [en = '', zh = ''] = v.split(',');
  return { zh, en };
}

function officialDay(date: string): Official {
  // The server's order: a make-up workday, then a holiday, then Monday–Friday.
  const work = WORKDAYS[date];
  if (work !== undefined) return { kind: 'makeup', name: festival(work) };
  const rest = HOLIDAYS[date];
  if (rest !== undefined) return { kind: 'holiday', name: festival(rest) };
  return { kind: mondayIndex(date) >= 5 ? 'weekend' : 'workday' };
}

function dayInfo(date: string, overrides: ReadonlyMap<string, CalendarOverride>): DayInfo {
  const official = officialDay(date);
  const override = overrides.get(date);
  const kind: Kind = override ? (override.workday ? 'overrideWork' : 'overrideRest') : official.kind;
  return { date, official, override, kind };
}

const locale = (lang: Lang) => (lang === 'en' ? 'en-US' : 'zh-CN');
const fmt = (lang: Lang, opts: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone: 'UTC' });
/** '2026年10月1日周四' / 'Thu, October 1, 2026' */
const fullDate = (lang: Lang, date: string) =>
  fmt(lang, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }).format(utc(date));
/** '10月1日周四' / 'Thu, October 1' */
const shortDate = (lang: Lang, date: string) =>
  fmt(lang, { month: 'long', day: 'numeric', weekday: 'short' }).format(utc(date));
const monthName = (lang: Lang, m: number) =>
  fmt(lang, lang === 'en' ? { month: 'long' } : { month: 'numeric' }).format(
    new Date(Date.UTC(2024, m - 1, 1)),
  );
// 2024-01-01 was a Monday.
const weekdayNames = (lang: Lang) =>
  Array.from({ length: 7 }, (_, i) =>
    fmt(lang, { weekday: lang === 'en' ? 'short' : 'narrow' }).format(new Date(Date.UTC(2024, 0, 1 + i))),
  );

function officialText(t: TFunction, lang: Lang, o: Official): string {
  const name = o.name ? (lang === 'en' ? o.name.en : o.name.zh) : '';
  if (o.kind === 'holiday') return t('calendar.officialHoliday', { name });
  if (o.kind === 'makeup') return t('calendar.officialMakeup', { name });
  return t(o.kind === 'weekend' ? 'calendar.officialWeekend' : 'calendar.officialWorkday');
}

const MARK: Partial<Record<Kind, 'rest' | 'work'>> = {
  holiday: 'rest',
  makeup: 'work',
  overrideRest: 'rest',
  overrideWork: 'work',
};
const KINDS: Kind[] = ['holiday', 'makeup', 'weekend', 'workday', 'overrideRest', 'overrideWork'];

// Hover and focus need real CSS; React 19 hoists this once into <head>.
const CSS = `
.gz-cal-grid { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 3px; }
.gz-cal-wd { text-align: center; font-size: 12px; color: rgba(0, 0, 0, 0.45); line-height: 22px; }
.gz-cal-day {
  position: relative; height: 38px; padding: 0; border: 1px solid transparent; border-radius: 4px;
  background: transparent; color: rgba(0, 0, 0, 0.88); font: inherit; font-size: 14px;
  font-variant-numeric: tabular-nums; cursor: pointer;
}
.gz-cal-day:hover { border-color: #8c8c8c; }
.gz-cal-day:focus-visible { outline: 2px solid #1677ff; outline-offset: 1px; }
.gz-cal-weekend { background: #f5f5f5; color: rgba(0, 0, 0, 0.45); }
.gz-cal-holiday { background: #fff1f0; color: #cf1322; }
.gz-cal-makeup { background: #fff7e6; color: #d46b08; }
.gz-cal-overrideRest { background: #f9f0ff; color: #531dab; border-color: #b37feb; }
.gz-cal-overrideWork { background: #e6f4ff; color: #0958d9; border-color: #69b1ff; }
.gz-cal-today { font-weight: 700; }
.gz-cal-today::after {
  content: ''; position: absolute; left: 50%; bottom: 4px; width: 4px; height: 4px;
  margin-left: -2px; border-radius: 50%; background: currentColor;
}
.gz-cal-mark {
  position: absolute; top: 1px; right: 1px; padding: 0 2px; border-radius: 3px;
  font-size: 10px; line-height: 13px; font-weight: 400; color: #fff;
}
.gz-cal-holiday .gz-cal-mark { background: #f5222d; }
.gz-cal-makeup .gz-cal-mark { background: #fa8c16; }
.gz-cal-overrideRest .gz-cal-mark { background: #722ed1; }
.gz-cal-overrideWork .gz-cal-mark { background: #1677ff; }
.gz-cal-swatch { position: relative; display: inline-block; width: 30px; height: 22px; vertical-align: middle; cursor: default; }
.gz-cal-swatch.gz-cal-workday, .gz-cal-swatch.gz-cal-today { border-color: #d9d9d9; }
.gz-cal-month { height: 100%; }
.gz-cal-month .ant-card-head-title { flex: none; }
.gz-cal-festivals { color: #cf1322; font-size: 12px; font-weight: 400; }
`;

export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { message } = App.useApp();
  const today = useMemo(shanghaiToday, []);
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [editing, setEditing] = useState<string | null>(null);
  // The reason last entered, offered again: entering a year's holidays repeats it day after day.
  const [lastReason, setLastReason] = useState('');

  const cal = useLoad(() => getCalendarYear(year), [year]);
  // Late in a year the next one's holidays matter already: say when they are still missing.
  const next = useLoad(
    () => (year === thisYear ? getCalendarYear(thisYear + 1) : Promise.resolve(null)),
    [year, thisYear],
  );
  const data = cal.data?.year === year ? cal.data : undefined;
  const overrides = useMemo(() => new Map((data?.overrides ?? []).map((o) => [o.date, o])), [data]);
  const official = OFFICIAL_YEARS.has(year);

  const saved = useCallback(
    (y: CalendarYear) => {
      cal.setData(y);
      if (y.year === thisYear + 1) next.reload();
    },
    [cal.setData, next.reload, thisYear],
  );
  const clear = async (date: string) => {
    try {
      saved(await clearCalendarDay(date));
      message.success(t('calendar.cleared'));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const years: number[] = [];
  for (let y = Math.min(FIRST_YEAR, year); y <= Math.max(thisYear + 5, LAST_YEAR + 1, year); y++)
    years.push(y);

  const columns: ColumnsType<CalendarOverride> = [
    {
      title: t('calendar.date'),
      dataIndex: 'date',
      width: 200,
      render: (d: string) => <span className="gz-mono">{shortDate(lang, d)}</span>,
    },
    {
      title: t('calendar.setTo'),
      dataIndex: 'workday',
      width: 110,
      render: (w: boolean) => (
        <Tag color={w ? 'blue' : 'purple'}>{t(w ? 'calendar.workTag' : 'calendar.restTag')}</Tag>
      ),
    },
    {
      title: t('calendar.officialLabel'),
      key: 'official',
      width: 220,
      render: (_: unknown, o) => (
        <Typography.Text type="secondary">
          {official ? officialText(t, lang, officialDay(o.date)) : t('calendar.noOfficial')}
        </Typography.Text>
      ),
    },
    {
      title: t('calendar.reason'),
      dataIndex: 'note',
      render: (n: string | null) =>
        n || <Typography.Text type="secondary">{t('calendar.noReason')}</Typography.Text>,
    },
    actionsColumn<CalendarOverride>(t, 200, (o) => (
      <>
        <Button type="link" size="small" onClick={() => setEditing(o.date)}>
          {t('common.edit')}
        </Button>
        <Popconfirm
          title={t('calendar.clearConfirm', { date: shortDate(lang, o.date) })}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          onConfirm={() => clear(o.date)}
        >
          <Button type="link" size="small" danger>
            {t('calendar.clear')}
          </Button>
        </Popconfirm>
      </>
    )),
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <style href="gz-calendar" precedence="default">
        {CSS}
      </style>
      <Card
        title={t('calendar.title')}
        extra={
          <Space wrap>
            {year !== thisYear && <Button onClick={() => setYear(thisYear)}>{t('calendar.thisYear')}</Button>}
            <Space.Compact>
              <Tooltip title={t('calendar.prevYear')}>
                <Button
                  icon={<LeftOutlined />}
                  aria-label={t('calendar.prevYear')}
                  disabled={year <= MIN_YEAR}
                  onClick={() => setYear(year - 1)}
                />
              </Tooltip>
              <Select
                value={year}
                onChange={setYear}
                aria-label={t('calendar.year')}
                data-testid="calendar-year"
                style={{ width: 110 }}
                options={years.map((y) => ({ value: y, label: t('calendar.yearOption', { year: y }) }))}
              />
              <Tooltip title={t('calendar.nextYear')}>
                <Button
                  icon={<RightOutlined />}
                  aria-label={t('calendar.nextYear')}
                  disabled={year >= MAX_YEAR}
                  onClick={() => setYear(year + 1)}
                />
              </Tooltip>
            </Space.Compact>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('calendar.intro')}</Typography.Paragraph>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {cal.error ? (
            <Alert
              type="error"
              showIcon
              title={cal.error}
              action={<Button onClick={cal.reload}>{t('common.refresh')}</Button>}
            />
          ) : data && official ? (
            <Alert
              type="info"
              showIcon
              title={t('calendar.official', { year })}
              data-testid="calendar-covered"
            />
          ) : data?.covered ? (
            <Alert
              type="warning"
              showIcon
              title={t('calendar.entered', { year, last: LAST_YEAR, count: data.overrides.length })}
              data-testid="calendar-entered"
            />
          ) : data ? (
            <Alert
              type="warning"
              showIcon
              title={t('calendar.notCovered', { year })}
              description={t('calendar.notCoveredHint', { year, first: FIRST_YEAR, last: LAST_YEAR })}
              data-testid="calendar-uncovered"
            />
          ) : null}
          {next.data && !next.data.covered && (
            <Alert
              type="warning"
              showIcon
              title={t('calendar.nextMissing', { year: next.data.year })}
              description={t('calendar.nextMissingHint', { year: next.data.year, last: LAST_YEAR })}
              action={
                <Button type="primary" onClick={() => setYear(thisYear + 1)}>
                  {t('calendar.goEnter', { year: thisYear + 1 })}
                </Button>
              }
              data-testid="calendar-next-missing"
            />
          )}
          <Legend t={t} />
        </Space>
      </Card>

      <Spin spinning={cal.loading}>
        <Row gutter={[16, 16]} data-testid="calendar-months">
          {MONTHS.map((m) => (
            <Col key={m} xs={24} sm={12} lg={8} xxl={6}>
              <Month
                year={year}
                month={m}
                overrides={overrides}
                today={today}
                lang={lang}
                onPick={setEditing}
              />
            </Col>
          ))}
        </Row>
      </Spin>

      <Card title={t('calendar.overrides', { year })} data-testid="calendar-overrides">
        <Table<CalendarOverride>
          rowKey="date"
          size="middle"
          columns={columns}
          dataSource={data?.overrides ?? []}
          loading={cal.loading}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('calendar.overridesEmpty', { year }) }}
          scroll={{ x: 800 }}
        />
      </Card>

      <DayModal
        info={editing ? dayInfo(editing, overrides) : null}
        official={editing ? OFFICIAL_YEARS.has(Number(editing.slice(0, 4))) : true}
        lang={lang}
        lastReason={lastReason}
        onClose={() => setEditing(null)}
        onSaved={(y, reason) => {
          saved(y);
          if (reason) setLastReason(reason);
          setEditing(null);
        }}
        onPartial={cal.reload}
      />
    </Space>
  );
}

function Legend({ t }: { t: TFunction }) {
  return (
    <Space size={[20, 8]} wrap data-testid="calendar-legend">
      <Typography.Text type="secondary">{t('calendar.legend')}</Typography.Text>
      {KINDS.map((k) => (
        <Space key={k} size={6}>
          <span className={`gz-cal-day gz-cal-swatch gz-cal-${k}`} aria-hidden>
            {MARK[k] && (
              <span className="gz-cal-mark">
                {t(MARK[k] === 'rest' ? 'calendar.markRest' : 'calendar.markWork')}
              </span>
            )}
          </span>
          <span>{t(`calendar.kind.${k}`)}</span>
        </Space>
      ))}
      <Space size={6}>
        <span className="gz-cal-day gz-cal-swatch gz-cal-today" aria-hidden />
        <span>{t('calendar.today')}</span>
      </Space>
      <Typography.Text type="secondary">{t('calendar.clickHint')}</Typography.Text>
    </Space>
  );
}

interface MonthProps {
  year: number;
  month: number;
  overrides: ReadonlyMap<string, CalendarOverride>;
  today: string;
  lang: Lang;
  onPick: (date: string) => void;
}

const Month = memo(function Month({ year, month, overrides, today, lang, onPick }: MonthProps) {
  const { t } = useTranslation();
  const first = isoDate(year, month, 1);
  const days = Array.from({ length: daysInMonth(year, month) }, (_, i) =>
    dayInfo(isoDate(year, month, i + 1), overrides),
  );
  const festivals = [
    ...new Set(
      days.flatMap((d) =>
        d.official.kind === 'holiday' && d.official.name
          ? [lang === 'en' ? d.official.name.en : d.official.name.zh]
          : [],
      ),
    ),
  ];
  return (
    <Card
      size="small"
      className="gz-cal-month"
      title={monthName(lang, month)}
      extra={
        festivals.length > 0 && (
          <span className="gz-cal-festivals" title={festivals.join(' · ')}>
            {festivals.join(' · ')}
          </span>
        )
      }
      data-testid={`calendar-month-${month}`}
    >
      <div className="gz-cal-grid">
        {weekdayNames(lang).map((w) => (
          <div key={w} className="gz-cal-wd">
            {w}
          </div>
        ))}
        {Array.from({ length: mondayIndex(first) }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: fixed blanks before the 1st
          <div key={`blank-${i}`} />
        ))}
        {days.map((d) => (
          <Day key={d.date} info={d} today={d.date === today} lang={lang} t={t} onPick={onPick} />
        ))}
      </div>
    </Card>
  );
});

function Day({
  info,
  today,
  lang,
  t,
  onPick,
}: {
  info: DayInfo;
  today: boolean;
  lang: Lang;
  t: TFunction;
  onPick: (date: string) => void;
}) {
  const mark = MARK[info.kind];
  const state = info.override
    ? `${t(`calendar.kind.${info.kind}`)}${info.override.note ? `：${info.override.note}` : ''}`
    : officialText(t, lang, info.official);
  const label = `${fullDate(lang, info.date)} ${state}`;
  return (
    <Tooltip
      mouseEnterDelay={0.3}
      title={
        <>
          <div>{fullDate(lang, info.date)}</div>
          <div>{state}</div>
          {info.override && (
            <div style={{ opacity: 0.75 }}>
              {t('calendar.officialLabel')}：{officialText(t, lang, info.official)}
            </div>
          )}
        </>
      }
    >
      <button
        type="button"
        className={`gz-cal-day gz-cal-${info.kind}${today ? ' gz-cal-today' : ''}`}
        data-date={info.date}
        data-kind={info.kind}
        aria-label={label}
        onClick={() => onPick(info.date)}
      >
        {Number(info.date.slice(8))}
        {mark && (
          <span className="gz-cal-mark" aria-hidden>
            {t(mark === 'rest' ? 'calendar.markRest' : 'calendar.markWork')}
          </span>
        )}
      </button>
    </Tooltip>
  );
}

interface DayForm {
  workday: boolean;
  note: string;
  days: number;
}

function DayModal({
  info: current,
  official,
  lang,
  lastReason,
  onClose,
  onSaved,
  onPartial,
}: {
  info: DayInfo | null;
  /** Whether the day's year is in the built-in table. */
  official: boolean;
  lang: Lang;
  lastReason: string;
  onClose: () => void;
  onSaved: (y: CalendarYear, reason?: string) => void;
  /** Some days of a range were saved before one failed: show what the server has. */
  onPartial: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  // The day stays on screen while the modal closes; a fresh form for each day opened.
  const shown = useRef<DayInfo | null>(null);
  if (current) shown.current = current;
  const info = shown.current;
  const date = info?.date ?? '';
  const year = Number(date.slice(0, 4));
  // A range stays in its year (the API answers with one year) and within a month's length.
  const yearEnd = `${year}-12-31`;
  const maxDays = info
    ? Math.min(31, Math.round((utc(yearEnd).getTime() - utc(date).getTime()) / DAY_MS) + 1)
    : 1;
  // Propose the opposite of what the day is now: that is why one clicks it.
  const restNow = info ? ['weekend', 'holiday', 'overrideRest'].includes(info.kind) : false;
  const initial: DayForm = {
    workday: info?.override ? info.override.workday : restNow,
    note: info?.override?.note ?? lastReason,
    days: 1,
  };

  const clear = async () => {
    try {
      onSaved(await clearCalendarDay(date));
      message.success(t('calendar.cleared'));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <FormModal<DayForm>
      open={current !== null}
      name="calendar-day"
      key={date}
      width={560}
      title={info ? t('calendar.editTitle', { date: fullDate(lang, date) }) : ''}
      initialValues={initial}
      fields={['workday', 'note', 'days']}
      onCancel={onClose}
      onSubmit={async (v) => {
        const note = v.note.trim();
        const count = Math.max(1, Math.min(maxDays, v.days || 1));
        let last: CalendarYear | undefined;
        try {
          for (let i = 0; i < count; i++)
            last = await setCalendarDay(addDays(date, i), { workday: v.workday, note: note || undefined });
        } catch (e) {
          if (last) onPartial();
          throw e;
        }
        if (last) onSaved(last, note);
        message.success(t('calendar.savedDays', { count }));
      }}
    >
      {(form) =>
        info && (
          <DayFields
            form={form}
            info={info}
            official={official}
            lang={lang}
            maxDays={maxDays}
            onClear={clear}
          />
        )
      }
    </FormModal>
  );
}

function DayFields({
  form,
  info,
  official,
  lang,
  maxDays,
  onClear,
}: {
  form: FormInstance<DayForm>;
  info: DayInfo;
  official: boolean;
  lang: Lang;
  maxDays: number;
  onClear: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const days = Form.useWatch('days', form) ?? 1;
  const year = Number(info.date.slice(0, 4));
  const count = Math.max(1, Math.min(maxDays, days));
  const o = info.override;
  return (
    <>
      <Descriptions
        column={1}
        size="small"
        bordered
        style={{ marginBottom: 16 }}
        styles={{ label: { width: 104, whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'official',
            label: t('calendar.officialLabel'),
            children: official ? (
              officialText(t, lang, info.official)
            ) : (
              <Typography.Text type="warning">
                {t('calendar.officialUnknown', { year, state: t(`calendar.kind.${info.official.kind}`) })}
              </Typography.Text>
            ),
          },
          ...(o
            ? [
                {
                  key: 'current',
                  label: t('calendar.currentLabel'),
                  children: (
                    <Space wrap>
                      <Tag color={o.workday ? 'blue' : 'purple'}>
                        {t(o.workday ? 'calendar.overrideWork' : 'calendar.overrideRest')}
                      </Tag>
                      {o.note && <span>{o.note}</span>}
                      <Popconfirm
                        title={t('calendar.clearConfirm', { date: shortDate(lang, info.date) })}
                        okText={t('common.ok')}
                        cancelText={t('common.cancel')}
                        onConfirm={onClear}
                      >
                        <Button size="small" danger>
                          {t('calendar.clear')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Form.Item name="workday" label={t('calendar.setAs')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            { value: false, label: t('calendar.asRest') },
            { value: true, label: t('calendar.asWork') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="note"
        label={t('calendar.reason')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('validation.required', { field: t('calendar.reason') }),
          },
        ]}
      >
        <Input maxLength={60} showCount placeholder={t('calendar.reasonPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="days"
        label={t('calendar.days')}
        extra={
          count > 1
            ? t('calendar.daysRange', {
                from: shortDate(lang, info.date),
                to: shortDate(lang, addDays(info.date, count - 1)),
                count,
              })
            : t('calendar.daysHelp')
        }
      >
        <InputNumber min={1} max={maxDays} precision={0} style={{ width: 120 }} />
      </Form.Item>
    </>
  );
}
