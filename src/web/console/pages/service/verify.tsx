import { Descriptions, Form, InputNumber, Rate, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CHECK_OUT_LATE_MINUTES } from '../../../../contracts/service-states.ts';
import { ApiError } from '../../../api/client.ts';
import {
  getServiceRecord,
  type RecordDetail,
  type RecordEvent,
  type RecordView,
  verifyServiceRecord,
} from '../../../api/service-console.ts';
import { FormModal } from '../../forms.tsx';
import { ReasonField } from '../party/parts.tsx';
import { hoursText, RecordStatusTag, slotMinutes, slotText } from './parts.tsx';

export type Decision = 'approve' | 'adjust' | 'decline';

const CHECK_OUT_LATE_MS = CHECK_OUT_LATE_MINUTES * 60_000;

/** The member checked in and the check-out window has closed: only an adjustment can record the time. */
export const checkOutMissed = (r: Pick<RecordView, 'status' | 'slot'>, now = Date.now()) =>
  r.status === 'onDuty' && r.slot !== null && Date.parse(r.slot.endsAt) + CHECK_OUT_LATE_MS < now;

/** Which decisions make sense on a record now (approve needs a recorded time). */
export function decisionsFor(r: Pick<RecordView, 'status' | 'recordedMinutes'>): Decision[] {
  if (r.status === 'approved') return ['adjust', 'decline'];
  if (r.status === 'declined') return r.recordedMinutes === null ? ['adjust'] : ['approve', 'adjust'];
  if (r.status === 'onDuty' || r.recordedMinutes === null) return ['adjust', 'decline'];
  return ['approve', 'adjust', 'decline'];
}

/** The words of a decision's button: a change to a record already decided is a correction. */
export function decisionLabel(t: TFunction, d: Decision, r: Pick<RecordView, 'status'>) {
  const done = r.status === 'approved' || r.status === 'declined';
  return t(
    `serviceConsole.verify.${d}${done && d === 'adjust' ? 'Correct' : ''}` as 'serviceConsole.verify.approve',
  );
}

interface VerifyForm {
  minutes?: number;
  reason?: string;
  rating?: number;
}

/**
 * 通过 / 调整 / 不予认定 on one record. When someone else changed the record meanwhile (409
 * service.record_stale), the record is read again, shown as it is now, and the dialog says so;
 * submitting again then applies to the current version.
 */
export function VerifyDialog({
  record,
  decision,
  onClose,
  onRefreshed,
  onDone,
}: {
  record: RecordView | null;
  decision: Decision | null;
  onClose: () => void;
  /** The record as it is now, after a stale-version refusal. */
  onRefreshed: (r: RecordDetail) => void;
  onDone: (r: RecordView, decision: Decision) => void;
}) {
  const { t, i18n } = useTranslation();
  const r = record;
  const max = r?.slot ? slotMinutes(r.slot) : 24 * 60;
  const initialMinutes = r
    ? (r.minutes ?? r.recordedMinutes ?? (r.slot ? slotMinutes(r.slot) : undefined))
    : undefined;

  const submit = async (v: VerifyForm) => {
    if (!r || !decision) return;
    const body =
      decision === 'approve'
        ? { decision, version: r.version, rating: v.rating || undefined }
        : decision === 'adjust'
          ? {
              decision,
              version: r.version,
              minutes: v.minutes as number,
              reason: (v.reason ?? '').trim(),
              rating: v.rating || undefined,
            }
          : { decision, version: r.version, reason: (v.reason ?? '').trim() };
    try {
      onDone(await verifyServiceRecord(r.id, body), decision);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'service.record_stale') {
        const fresh = await getServiceRecord(r.id);
        onRefreshed(fresh);
        const now =
          fresh.status === 'approved' || fresh.status === 'declined'
            ? t('serviceConsole.verify.staleNow', {
                status: t(`serviceConsole.recordStatus.${fresh.status}`),
                who: fresh.verifiedBy ?? '—',
              })
            : '';
        throw new ApiError(e.status, e.code, `${t('serviceConsole.verify.stale')}${now}`, []);
      }
      throw e;
    }
  };

  const title = r && decision ? `${decisionLabel(t, decision, r)} · ${r.member.name} · ${r.activity}` : '';
  return (
    <FormModal<VerifyForm>
      open={r !== null && decision !== null}
      name={`service-verify-${decision ?? 'none'}`}
      title={title}
      width={560}
      initialValues={{ minutes: initialMinutes, rating: r?.rating ?? undefined }}
      fields={['minutes', 'reason', 'rating']}
      onCancel={onClose}
      onSubmit={submit}
    >
      {r && (
        <>
          <Descriptions
            size="small"
            column={2}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'member', label: t('serviceConsole.record.member'), children: r.member.name },
              {
                key: 'status',
                label: t('serviceConsole.record.status'),
                children: <RecordStatusTag status={r.status} />,
              },
              {
                key: 'when',
                label: t('serviceConsole.record.date'),
                span: 2,
                children: r.slot ? slotText(r.slot, i18n.language) : r.serviceDate,
              },
              {
                key: 'recorded',
                label: t('serviceConsole.record.recordedMinutes'),
                children: hoursText(t, r.recordedMinutes),
              },
              {
                key: 'verified',
                label: t('serviceConsole.record.minutes'),
                children: hoursText(t, r.minutes),
              },
            ]}
          />
          {r.status === 'onDuty' && (
            <Typography.Paragraph type="warning">
              {checkOutMissed(r) ? t('serviceConsole.verify.missedOut') : t('serviceConsole.verify.stillOn')}
            </Typography.Paragraph>
          )}
          {decision === 'approve' && (
            <Typography.Paragraph>
              {t('serviceConsole.verify.approveNote', { hours: hoursText(t, r.recordedMinutes) })}
            </Typography.Paragraph>
          )}
          {decision === 'adjust' && (
            <Form.Item
              name="minutes"
              label={t('serviceConsole.verify.minutes')}
              extra={t('serviceConsole.enter.minutesHint', { max, hours: hoursText(t, max) })}
              rules={[
                {
                  required: true,
                  message: t('validation.required', { field: t('serviceConsole.verify.minutes') }),
                },
                { type: 'number', min: 0, max, message: t('serviceConsole.minutesRange', { min: 0, max }) },
              ]}
            >
              <InputNumber
                precision={0}
                suffix={t('serviceConsole.minutesUnit')}
                style={{ width: 200 }}
                data-testid="service-verify-minutes"
              />
            </Form.Item>
          )}
          {decision !== 'approve' && (
            <ReasonField
              extra={
                decision === 'decline'
                  ? t('serviceConsole.verify.declineHint')
                  : t('serviceConsole.verify.adjustHint')
              }
            />
          )}
          {decision !== 'decline' && (
            <Form.Item
              name="rating"
              label={t('serviceConsole.verify.rating')}
              extra={t('serviceConsole.verify.ratingHint')}
            >
              <Rate allowClear data-testid="service-verify-rating" />
            </Form.Item>
          )}
          {decision === 'decline' && r.points > 0 && (
            <Typography.Paragraph type="warning">
              {t('serviceConsole.verify.declineReturns', { points: r.points })}
            </Typography.Paragraph>
          )}
        </>
      )}
    </FormModal>
  );
}

/** What happened at one step of a record's history, in words. */
export function EventText({ e, prevPoints }: { e: RecordEvent; prevPoints: number }) {
  const { t } = useTranslation();
  const d = (e.data ?? {}) as Record<string, unknown>;
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null);
  const str = (k: string) => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : null);
  const lines: string[] = [];
  switch (e.kind) {
    case 'checkOut':
    case 'code':
    case 'entered':
      lines.push(t('serviceConsole.events.recorded', { hours: hoursText(t, num('minutes')) }));
      if (str('note')) lines.push(t('serviceConsole.events.note', { note: str('note') }));
      break;
    case 'approved':
    case 'adjusted':
    case 'declined':
    case 'corrected':
      if (d.decision !== 'decline') {
        const from = num('from');
        lines.push(
          from !== null && from !== num('minutes')
            ? t('serviceConsole.events.changed', {
                from: hoursText(t, from),
                to: hoursText(t, num('minutes')),
              })
            : t('serviceConsole.events.verified', { hours: hoursText(t, num('minutes')) }),
        );
      }
      {
        const points = num('points') ?? 0;
        const diff = points - prevPoints;
        lines.push(
          diff === 0
            ? t('serviceConsole.events.pointsSame', { points })
            : t('serviceConsole.events.pointsChanged', {
                from: prevPoints,
                to: points,
                diff: diff > 0 ? `+${diff}` : String(diff),
              }),
        );
      }
      if (str('reason')) lines.push(t('serviceConsole.events.reason', { reason: str('reason') }));
      break;
    case 'problems':
      lines.push(str('problemsSolved') ?? '');
      if (str('ticketNumber')) lines.push(t('serviceConsole.events.ticket', { number: str('ticketNumber') }));
      break;
  }
  return (
    <>
      {lines.map((l) => (
        <div key={l} style={{ fontSize: 13, whiteSpace: 'pre-wrap' }}>
          {l}
        </div>
      ))}
    </>
  );
}

/** The points a record held before each of its events (verification events carry them). */
export function pointsBefore(events: RecordEvent[]): number[] {
  let held = 0;
  return events.map((e) => {
    const before = held;
    const p = (e.data as { points?: unknown } | null)?.points;
    if (typeof p === 'number') held = p;
    return before;
  });
}

/** The event's name: 签到, 签退, 时长码, 组织者录入, 通过, 调整, 不予认定, 更正, 解决问题. */
export function eventName(t: TFunction, e: RecordEvent) {
  const known = [
    'checkIn',
    'checkOut',
    'code',
    'entered',
    'approved',
    'adjusted',
    'declined',
    'corrected',
    'problems',
  ];
  if (!known.includes(e.kind)) return e.kind;
  if (e.kind === 'corrected') {
    const d = (e.data ?? {}) as { decision?: string };
    return t('serviceConsole.events.correctedAs', {
      decision: t(`serviceConsole.verify.${(d.decision ?? 'adjust') as Decision}`),
    });
  }
  return t(`serviceConsole.events.kind.${e.kind as 'checkIn'}`);
}
