import { Button, Input, Popup, Tag } from 'antd-mobile';
import { CheckCircleFill, CloseCircleFill } from 'antd-mobile-icons';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/client.ts';
import { attendService, type RecordView } from '../../api/service.ts';
import { todayInCity } from '../../ui/format.ts';

/** Pieces the service pages share: times in words, a record's state, attendance results and code entry. */

/** How attendance was (or is being) taken: checking in, checking out, or a printed hour code. */
export type Phase = 'in' | 'out' | 'code';

const clock = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const monthDay = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
});

/** "10:30" in Asia/Shanghai. */
export function hhmm(iso: string | null | undefined): string {
  if (!iso) return '';
  return clock.format(new Date(iso));
}

/** Whether a moment falls on today's date in the city. */
export const isToday = (iso: string) => todayInCity(new Date(iso)) === todayInCity();

/** "今天 周四 10:00–12:00", "11月28日 周六 09:00–11:30" (en: "Sat Nov 28 09:00–11:30"). */
export function when(t: TFunction, lang: string, startsAt: string, endsAt: string): string {
  const a = new Date(startsAt);
  const day = todayInCity(a);
  const tomorrow = todayInCity(new Date(Date.now() + 86_400_000));
  const weekday = new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    weekday: 'short',
  }).format(a);
  const [m, d] = monthDay.format(a).split('/');
  const date =
    day === todayInCity()
      ? `${t('service.today')} ${weekday}`
      : day === tomorrow
        ? `${t('service.tomorrow')} ${weekday}`
        : t('service.dateFmt', { m, d, weekday });
  const endDay = todayInCity(new Date(endsAt));
  const end = endDay === day ? hhmm(endsAt) : `${t('service.nextDay')} ${hhmm(endsAt)}`;
  return `${date} ${hhmm(startsAt)}–${end}`;
}

/** "45 分钟", "2 小时", "1 小时 30 分钟". */
export function durationText(t: TFunction, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return t('service.duration.m', { m });
  if (m === 0) return t('service.duration.h', { h });
  return t('service.duration.hm', { h, m });
}

const STATE_COLOR = {
  onDuty: 'primary',
  pending: 'warning',
  approved: 'success',
  declined: 'default',
} as const;

/** A record's state in a tag and in words: 在岗 since when, waiting for the organiser, verified, declined. */
export function RecordState({ r }: { r: RecordView }) {
  const { t } = useTranslation();
  let text: string;
  if (r.status === 'onDuty') text = t('service.onDutyText', { at: hhmm(r.checkInAt) });
  else if (r.status === 'pending')
    text = t('service.pendingText', { duration: durationText(t, r.recordedMinutes ?? 0) });
  else if (r.status === 'approved')
    text = t('service.approvedText', { duration: durationText(t, r.minutes ?? 0), points: r.points });
  else text = r.reason ? t('service.declinedText', { reason: r.reason }) : t('service.declinedNoReason');
  return (
    <div className={`m-svc-state m-svc-state-${r.status}`} data-testid="m-service-record-state">
      <Tag color={STATE_COLOR[r.status]} className="m-tag-big">
        {t(`service.states.${r.status}`)}
      </Tag>
      <span className="m-svc-state-text">{text}</span>
    </div>
  );
}

/** The phase a scanned token is for (`<slot>.<in|out>.<window>.<mac>`). */
export function phaseOfToken(token: string): 'in' | 'out' {
  return /^\d+\.out\./.test(token) ? 'out' : 'in';
}

/**
 * What a scanned QR holds: the check-in page's URL (`…/m/service/scan?t=…`) or the bare token.
 * Null for anything else (another app's code).
 */
export function tokenFromScan(text: string): string | null {
  const s = text.trim();
  if (/^\d+\.(in|out)\.\d+\.[A-Za-z0-9_-]+$/.test(s)) return s;
  try {
    const u = new URL(s, window.location.origin);
    const tok = u.pathname.endsWith('/service/scan') ? u.searchParams.get('t') : null;
    return tok && /^\d+\.(in|out)\.\d+\./.test(tok) ? tok : null;
  } catch {
    return null;
  }
}

/** The answer to an attendance: big, plain, with what happens next. */
export function AttendResult({ record, phase }: { record: RecordView; phase: Phase }) {
  const { t } = useTranslation();
  // Scanning the check-in code after checking out changes nothing: say where the record stands.
  const out = phase === 'out' || (phase === 'in' && record.checkOutAt !== null);
  return (
    <div className="m-svc-result" role="status" data-testid="m-service-result" data-phase={phase}>
      <CheckCircleFill className="m-svc-result-icon" aria-hidden />
      <h2 className="m-svc-result-title" data-testid="m-service-result-title">
        {phase === 'code' ? t('service.codeOk') : out ? t('service.outOk') : t('service.inOk')}
      </h2>
      <div className="m-svc-result-activity">{record.activity}</div>
      {phase === 'in' && !out && (
        <>
          <div className="m-svc-result-big">{t('service.inAt', { at: hhmm(record.checkInAt) })}</div>
          <p className="m-svc-result-hint">{t('service.inHint')}</p>
        </>
      )}
      {(out || phase === 'code') && (
        <>
          <div className="m-svc-result-big" data-testid="m-service-result-minutes">
            {t('service.recorded', { duration: durationText(t, record.recordedMinutes ?? 0) })}
          </div>
          {out && record.checkInAt && record.checkOutAt && (
            <div className="m-svc-result-times">
              {t('service.inOutTimes', { in: hhmm(record.checkInAt), out: hhmm(record.checkOutAt) })}
            </div>
          )}
          <p className="m-svc-result-hint">{t('service.pendingHint')}</p>
        </>
      )}
    </div>
  );
}

/** An attendance that did not go through: the server's reason, in the user's language. */
export function AttendError({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <div className="m-svc-result" role="alert" data-testid="m-service-result-error">
      <CloseCircleFill className="m-svc-result-icon m-svc-result-icon-fail" aria-hidden />
      <h2 className="m-svc-result-title">{t('service.failed')}</h2>
      <p className="m-svc-result-reason">{message}</p>
    </div>
  );
}

/** A bottom sheet with a title and a big close link. */
export function Sheet({
  visible,
  title,
  onClose,
  children,
  testid,
}: {
  visible: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testid?: string;
}) {
  const { t } = useTranslation();
  return (
    <Popup
      visible={visible}
      onMaskClick={onClose}
      onClose={onClose}
      destroyOnClose
      bodyClassName="m-sheet"
      bodyStyle={{ maxHeight: '92vh' }}
    >
      <div className="m-sheet-head">
        <span className="m-sheet-title">{title}</span>
        <button type="button" className="m-sheet-close" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <div className="m-sheet-body m-svc-sheet-body" data-testid={testid}>
        {children}
      </div>
    </Popup>
  );
}

/** What a code sheet is for: the rotating code's six digits for a slot and phase, or a printed hour code. */
export type CodeTarget =
  | { kind: 'digits'; slotId: number; phase: 'in' | 'out'; title: string }
  | { kind: 'hourCode' };

/**
 * Typing a code: six digits from the organiser's screen, or the eight of a printed hour code.
 * A wrong code stays on the sheet with the reason; a good one goes to `onDone`.
 */
export function CodeSheet({
  target,
  onClose,
  onDone,
}: {
  target: CodeTarget | null;
  onClose: () => void;
  onDone: (record: RecordView, phase: Phase) => void;
}) {
  const { t } = useTranslation();
  const title =
    target?.kind === 'digits'
      ? target.phase === 'in'
        ? t('service.typeIn')
        : t('service.typeOut')
      : t('service.hourCode');
  return (
    <Sheet visible={target !== null} title={title} onClose={onClose} testid="m-service-code-sheet">
      {target && <CodeForm key={JSON.stringify(target)} target={target} onDone={onDone} />}
    </Sheet>
  );
}

function CodeForm({ target, onDone }: { target: CodeTarget; onDone: (r: RecordView, p: Phase) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const length = target.kind === 'digits' ? 6 : 8;
  const submit = async () => {
    const code = value.replace(/\D/g, '');
    if (code.length !== length) {
      setError(t('service.codeLength', { n: length }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r =
        target.kind === 'digits'
          ? await attendService({ slotId: target.slotId, phase: target.phase, digits: code })
          : await attendService({ code });
      onDone(r, target.kind === 'digits' ? target.phase : 'code');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="m-svc-code"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {target.kind === 'digits' && <div className="m-svc-code-for">{target.title}</div>}
      <p className="m-svc-code-hint">
        {target.kind === 'digits' ? t('service.digitsHint') : t('service.hourCodeHint')}
      </p>
      <Input
        className="m-svc-code-input"
        value={value}
        onChange={(v) => {
          setValue(v.replace(/[^\d ]/g, ''));
          setError(null);
        }}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={length + 2}
        placeholder={target.kind === 'digits' ? '000000' : '0000 0000'}
        aria-label={target.kind === 'digits' ? t('service.digitsLabel') : t('service.hourCodeLabel')}
        data-testid="m-service-code-input"
        autoFocus
      />
      {error && (
        <div className="m-error m-svc-code-error" role="alert" data-testid="m-service-code-error">
          {error}
        </div>
      )}
      <Button
        block
        type="submit"
        color="primary"
        size="large"
        className="m-btn-big"
        loading={busy}
        data-testid="m-service-code-submit"
      >
        {target.kind === 'digits'
          ? target.phase === 'in'
            ? t('service.checkIn')
            : t('service.checkOut')
          : t('service.submitCode')}
      </Button>
    </form>
  );
}
