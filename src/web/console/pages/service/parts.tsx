import { PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Col,
  DatePicker,
  Form,
  type FormInstance,
  InputNumber,
  Row,
  Select,
  Tag,
  TimePicker,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SERVICE_KINDS } from '../../../../contracts/service-states.ts';
import { ApiError } from '../../../api/client.ts';
import { listMembers, type MemberView } from '../../../api/index.ts';
import type {
  PostView,
  RecordMethod,
  RecordStatus,
  RosterEntry,
  ServiceKind,
  SlotCreate,
  SlotView,
} from '../../../api/service-console.ts';
import { todayInCity } from '../../../ui/format.ts';
import { useDebounced } from '../../../ui/useDebounced.ts';
import { useLoad } from '../../../ui/useLoad.ts';

// Time ------------------------------------------------------------------------------------------

const TZ = 'Asia/Shanghai';
const hm = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 'YYYY-MM-DD' in the city. */
export const dateOf = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: TZ });
/** 'HH:mm' in the city. */
export const timeOf = (iso: string) => hm.format(new Date(iso));

function weekday(iso: string, lang: string) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TZ,
    weekday: 'short',
  }).format(new Date(iso));
}

/** "2026-11-28 周六 09:00–11:00": a slot as people say it. */
export function slotText(s: { startsAt: string; endsAt: string }, lang: string) {
  const day = dateOf(s.startsAt);
  const endDay = dateOf(s.endsAt);
  return `${day} ${weekday(s.startsAt, lang)} ${timeOf(s.startsAt)}–${endDay === day ? '' : `${endDay} `}${timeOf(s.endsAt)}`;
}

/** Minutes as people say them: "2 小时", "1 小时 50 分", "40 分钟". */
export function hoursText(t: TFunction, minutes: number | null | undefined) {
  if (minutes === null || minutes === undefined) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!minutes) return t('serviceConsole.minutesValue', { minutes: 0 });
  if (!m) return t('serviceConsole.hoursValue', { hours: h });
  if (!h) return t('serviceConsole.minutesValue', { minutes: m });
  return t('serviceConsole.hoursMinutes', { hours: h, minutes: m });
}

export const slotMinutes = (s: { startsAt: string; endsAt: string }) =>
  Math.round((Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000);

/** Where a slot stands now: called off, over, on now, or to come. */
export type SlotPhase = 'cancelled' | 'ended' | 'ongoing' | 'upcoming';
export function slotPhase(s: Pick<SlotView, 'status' | 'startsAt' | 'endsAt'>, now = Date.now()): SlotPhase {
  if (s.status === 'cancelled') return 'cancelled';
  if (Date.parse(s.endsAt) <= now) return 'ended';
  if (Date.parse(s.startsAt) <= now) return 'ongoing';
  return 'upcoming';
}

// Tags ------------------------------------------------------------------------------------------

const KIND_COLOR: Record<ServiceKind, string> = {
  environment: 'green',
  care: 'magenta',
  safety: 'blue',
  civility: 'volcano',
  policy: 'red',
  health: 'cyan',
  mediation: 'purple',
  youth: 'gold',
  other: 'default',
};

export function KindTag({ kind }: { kind: ServiceKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLOR[kind]} style={{ marginInlineEnd: 0 }}>
      {t(`serviceConsole.kinds.${kind}`)}
    </Tag>
  );
}

export const kindOptions = (t: TFunction) =>
  SERVICE_KINDS.map((k) => ({ value: k, label: t(`serviceConsole.kinds.${k}`) }));

export function PostStatusTag({ status }: { status: PostView['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'open' ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
      {t(`serviceConsole.postStatus.${status}`)}
    </Tag>
  );
}

const PHASE_COLOR: Record<SlotPhase, string> = {
  cancelled: 'default',
  ended: 'default',
  ongoing: 'processing',
  upcoming: 'blue',
};

export function SlotPhaseTag({ slot }: { slot: Pick<SlotView, 'status' | 'startsAt' | 'endsAt'> }) {
  const { t } = useTranslation();
  const p = slotPhase(slot);
  return (
    <Tag color={PHASE_COLOR[p]} style={{ marginInlineEnd: 0 }}>
      {t(`serviceConsole.slotPhase.${p}`)}
    </Tag>
  );
}

const RECORD_COLOR: Record<RecordStatus, string> = {
  onDuty: 'orange',
  pending: 'gold',
  approved: 'green',
  declined: 'red',
};

export function RecordStatusTag({ status }: { status: RecordStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={RECORD_COLOR[status]} style={{ marginInlineEnd: 0 }}>
      {t(`serviceConsole.recordStatus.${status}`)}
    </Tag>
  );
}

export function MethodText({ method }: { method: RecordMethod }) {
  const { t } = useTranslation();
  return <>{t(`serviceConsole.method.${method}`)}</>;
}

/** "已认领", "排队第 2 位", or "现场登记" for someone recorded without a claim. */
export function ClaimText({ e }: { e: Pick<RosterEntry, 'claim' | 'position'> }) {
  const { t } = useTranslation();
  if (e.claim === 'waitlisted')
    return <Tag color="gold">{t('serviceConsole.claim.waitlisted', { n: e.position ?? '?' })}</Tag>;
  if (e.claim === 'claimed') return <Tag color="blue">{t('serviceConsole.claim.claimed')}</Tag>;
  return (
    <Tooltip title={t('serviceConsole.claim.walkInHint')}>
      <Tag>{t('serviceConsole.claim.walkIn')}</Tag>
    </Tooltip>
  );
}

// Slots in forms --------------------------------------------------------------------------------

/** One slot row of a form: the day, the time from–to, and how many people it takes. */
export interface SlotRow {
  date?: Dayjs;
  time?: [Dayjs | null, Dayjs | null] | null;
  capacity?: number;
}
export interface SlotsValues {
  slots: SlotRow[];
}

/** The API's slots from the form's rows: the time typed is the city's (+08:00), whatever the browser's zone. */
export function slotsOf(rows: SlotRow[]): SlotCreate[] {
  return rows.map((r) => {
    const day = (r.date as Dayjs).format('YYYY-MM-DD');
    const [a, b] = r.time as [Dayjs, Dayjs];
    return {
      startsAt: `${day}T${a.format('HH:mm')}:00+08:00`,
      endsAt: `${day}T${b.format('HH:mm')}:00+08:00`,
      capacity: r.capacity as number,
    };
  });
}

/**
 * Field errors the server gives on slots (`slots.0`, `slots.1.capacity`) go onto that row's
 * fields, and into the message above the form too, so nothing wrong stays unseen.
 */
export async function withSlotErrors<T>(
  t: TFunction,
  form: FormInstance,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const slotErrors = e.errors.flatMap((fe) => {
      const m = /^slots\.(\d+)(?:\.(\w+))?/.exec(fe.path);
      if (!m) return [];
      const i = Number(m[1]);
      const field = m[2] === 'capacity' ? 'capacity' : 'time';
      return [{ i, field, message: fe.message }];
    });
    if (!slotErrors.length) throw e;
    form.setFields(slotErrors.map((s) => ({ name: ['slots', s.i, s.field], errors: [s.message] })));
    const words = slotErrors
      .map((s) => t('serviceConsole.slotError', { n: s.i + 1, message: s.message }))
      .join('；');
    throw new ApiError(e.status, e.code, `${e.detail} ${words}`, e.errors);
  }
}

/** The slot rows of a form (Form.List "slots"): at least one; "再加一个时段" copies the last one a day later. */
export function SlotsFields({ form }: { form: FormInstance }) {
  const { t } = useTranslation();
  const today = todayInCity();
  return (
    <Form.List
      name="slots"
      rules={[
        {
          validator: async (_, rows?: SlotRow[]) => {
            if (!rows?.length) throw new Error(t('serviceConsole.slotsRequired'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <fieldset data-testid="service-slots-fields" className="gz-svc-fieldset" onKeyDown={keepEnter}>
          {fields.map((f, i) => (
            <Row key={f.key} gutter={8} align="top" wrap={false}>
              <Col flex="none" style={{ paddingTop: 5, width: 28 }}>
                <Typography.Text type="secondary">{i + 1}.</Typography.Text>
              </Col>
              <Col flex="170px">
                <Form.Item
                  name={[f.name, 'date']}
                  rules={[
                    {
                      required: true,
                      message: t('validation.select', { field: t('serviceConsole.slotDate') }),
                    },
                  ]}
                >
                  <DatePicker
                    style={{ width: '100%' }}
                    placeholder={t('serviceConsole.slotDate')}
                    // Activities held without the app may be entered afterwards, within a month.
                    disabledDate={(d) => d.format('YYYY-MM-DD') < backfillFloor(today)}
                    data-testid={`service-slot-date-${i}`}
                  />
                </Form.Item>
              </Col>
              <Col flex="220px">
                <Form.Item
                  name={[f.name, 'time']}
                  rules={[
                    {
                      validator: async (_, v?: SlotRow['time']) => {
                        if (!v?.[0] || !v[1])
                          throw new Error(t('validation.select', { field: t('serviceConsole.slotTime') }));
                        if (!v[1].isAfter(v[0])) throw new Error(t('serviceConsole.endAfterStart'));
                        if (v[1].diff(v[0], 'minute') > 12 * 60)
                          throw new Error(t('serviceConsole.slotTooLong'));
                      },
                    },
                  ]}
                >
                  <TimePicker.RangePicker
                    format="HH:mm"
                    minuteStep={5}
                    needConfirm={false}
                    placeholder={[t('serviceConsole.from'), t('serviceConsole.to')]}
                    style={{ width: '100%' }}
                    data-testid={`service-slot-time-${i}`}
                  />
                </Form.Item>
              </Col>
              <Col flex="150px">
                <Form.Item
                  name={[f.name, 'capacity']}
                  rules={[
                    {
                      required: true,
                      message: t('validation.required', { field: t('serviceConsole.capacity') }),
                    },
                  ]}
                >
                  <InputNumber
                    min={1}
                    max={500}
                    precision={0}
                    prefix={t('serviceConsole.capacityPrefix')}
                    suffix={t('serviceConsole.people')}
                    style={{ width: '100%' }}
                    data-testid={`service-slot-capacity-${i}`}
                  />
                </Form.Item>
              </Col>
              <Col flex="none">
                {fields.length > 1 && (
                  <Button type="link" danger onClick={() => remove(f.name)}>
                    {t('serviceConsole.removeSlot')}
                  </Button>
                )}
              </Col>
            </Row>
          ))}
          <Form.ErrorList errors={errors} />
          <Button
            type="dashed"
            icon={<PlusOutlined aria-hidden />}
            data-testid="service-slot-add-row"
            onClick={() => {
              const rows = (form.getFieldValue('slots') as SlotRow[] | undefined) ?? [];
              const last = rows.at(-1);
              add({
                date: last?.date?.add(1, 'day'),
                time: last?.time ?? undefined,
                capacity: last?.capacity ?? 5,
              });
            }}
            style={{ marginBottom: 16 }}
          >
            {t('serviceConsole.addSlotRow')}
          </Button>
        </fieldset>
      )}
    </Form.List>
  );
}

/**
 * Enter in a date or time box confirms what was typed there; it must not also publish the whole
 * form (the browser's implicit submission) before the other slots are filled in.
 */
export function keepEnter(e: React.KeyboardEvent) {
  if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') e.preventDefault();
}

/** The earliest day a slot may be on: the server takes slots that ended up to 30 days ago. */
function backfillFloor(today: string) {
  const d = new Date(`${today}T00:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() - 29);
  return d.toLocaleDateString('sv-SE', { timeZone: TZ });
}

// Members ---------------------------------------------------------------------------------------

/**
 * A party member by name (masked, with age, the ID number's end and compound so two of a name
 * can be told apart). Those holding a place on the slot and not yet recorded come first.
 */
export function MemberPicker({
  id,
  value,
  onChange,
  compoundId,
  claimed,
  recorded,
}: {
  id?: string;
  value?: number;
  onChange?: (v: number) => void;
  compoundId?: number;
  /** Holding a place or waiting for one, and not yet recorded: offered first. */
  claimed: { memberId: number; name: string }[];
  /** Already recorded on the slot: not offered again. */
  recorded: number[];
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q);
  const found = useLoad(
    () =>
      listMembers({
        q: debounced || undefined,
        compoundId: debounced ? undefined : compoundId,
        status: 'normal',
        limit: 20,
      }),
    [debounced, compoundId],
  );
  const label = (m: MemberView) =>
    `${m.name} · ${t('party.ageValue', { age: m.age })} · ${m.idNumber.slice(-4)} · ${m.compound.name}`;
  const showClaimed = claimed.length > 0 && !debounced;
  const others = (found.data?.items ?? []).filter(
    (m) => !recorded.includes(m.id) && (!showClaimed || !claimed.some((c) => c.memberId === m.id)),
  );
  const options = [
    ...(showClaimed
      ? [
          {
            label: t('serviceConsole.enter.claimedGroup'),
            options: claimed.map((c) => ({ value: c.memberId, label: c.name })),
          },
        ]
      : []),
    {
      label: debounced
        ? t('serviceConsole.enter.found')
        : compoundId
          ? t('serviceConsole.enter.members')
          : t('serviceConsole.enter.someMembers'),
      options: others.map((m) => ({ value: m.id, label: label(m) })),
    },
  ];
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.loading}
      placeholder={t('serviceConsole.enter.memberPlaceholder')}
      options={options}
      notFoundContent={found.loading ? t('common.loading') : t('common.empty')}
      data-testid="service-enter-member"
    />
  );
}
