import { FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, Segmented, theme } from 'antd';
import { QRCodeSVG } from 'qrcode.react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import {
  CHECK_IN_EARLY_MINUTES,
  CHECK_OUT_LATE_MINUTES,
  QR_WINDOW_SECONDS,
} from '../../../../contracts/service-states.ts';
import { ApiError, errorText } from '../../../api/client.ts';
import { type QrView, type Roster, slotQr, slotRoster } from '../../../api/service-console.ts';
import { dateOf, slotText, timeOf } from './parts.tsx';

type Phase = 'in' | 'out';
/** The check-in count is read again this often. */
const ROSTER_MS = 4_000;
/** After a failed read of the code, try again this soon. */
const RETRY_MS = 3_000;

/**
 * 签到二维码: the organiser's screen for a projector or a tablet. It shows the slot's current code
 * as a QR and as six digits, changes it when it expires (every 30 s), counts down to the change,
 * switches between check-in and check-out, and keeps the count of who has checked in current.
 */
export default function QrDisplayPage() {
  const { t, i18n } = useTranslation();
  const slotId = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const phase: Phase = params.get('phase') === 'out' ? 'out' : 'in';
  const [qr, setQr] = useState<(QrView & { until: number }) | null>(null);
  const [qrError, setQrError] = useState<{ text: string; final: boolean } | null>(null);
  const [roster, setRoster] = useState<Roster | null>(null);
  const [rosterError, setRosterError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [full, setFull] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  // The code: read it, then read it again the moment it expires (or soon after a failure).
  const fetchQr = useCallback(
    async (seq: { alive: boolean }) => {
      window.clearTimeout(timer.current);
      try {
        const v = await slotQr(slotId, phase);
        if (!seq.alive) return;
        const until = Date.now() + v.expiresInSeconds * 1000;
        setQr({ ...v, until });
        setQrError(null);
        // A little after the change, so the server is surely in the next window.
        timer.current = window.setTimeout(() => void fetchQr(seq), v.expiresInSeconds * 1000 + 250);
      } catch (e) {
        if (!seq.alive) return;
        // Not found or not mine: asking again will not change that. Anything else (network): retry.
        const final = e instanceof ApiError && [403, 404].includes(e.status);
        setQrError({ text: errorText(e), final });
        if (!final) timer.current = window.setTimeout(() => void fetchQr(seq), RETRY_MS);
      }
    },
    [slotId, phase],
  );
  useEffect(() => {
    const seq = { alive: true };
    setQr(null);
    void fetchQr(seq);
    return () => {
      seq.alive = false;
      window.clearTimeout(timer.current);
    };
  }, [fetchQr]);

  // Who has checked in (and out), kept current.
  useEffect(() => {
    let alive = true;
    const read = () =>
      slotRoster(slotId)
        .then((r) => {
          if (!alive) return;
          setRoster(r);
          setRosterError(null);
        })
        .catch((e: unknown) => alive && setRosterError(errorText(e)));
    void read();
    const h = window.setInterval(read, ROSTER_MS);
    return () => {
      alive = false;
      window.clearInterval(h);
    };
  }, [slotId]);

  useEffect(() => {
    const h = window.setInterval(() => setNow(Date.now()), 200);
    return () => window.clearInterval(h);
  }, []);

  // A tablet left on the table should not go dark mid-event.
  useEffect(() => {
    type Lock = { release: () => Promise<void> };
    const nav = navigator as Navigator & { wakeLock?: { request: (k: 'screen') => Promise<Lock> } };
    let lock: Lock | null = null;
    nav.wakeLock
      ?.request('screen')
      .then((l) => {
        lock = l;
      })
      .catch(() => undefined);
    return () => void lock?.release().catch(() => undefined);
  }, []);

  useEffect(() => {
    const on = () => setFull(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);

  useEffect(() => {
    if (roster) document.title = `${t(`serviceConsole.qr.phase.${phase}`)} · ${roster.post.title}`;
  }, [roster, phase, t]);

  const left = qr ? Math.max(0, (qr.until - now) / 1000) : 0;
  const entries = roster?.entries ?? [];
  const checkedIn = entries.filter((e) => e.record).length;
  const checkedOut = entries.filter((e) => e.record && e.record.status !== 'onDuty').length;
  const holding = entries.filter((e) => e.claim === 'claimed').length;
  const cancelled = roster?.slot.status === 'cancelled';
  // Members can scan from a while before the start until a while after the end.
  const opensAt = roster ? Date.parse(roster.slot.startsAt) - CHECK_IN_EARLY_MINUTES * 60_000 : 0;
  const closesAt = roster ? Date.parse(roster.slot.endsAt) + CHECK_OUT_LATE_MINUTES * 60_000 : 0;
  const scanWindow = now < opensAt ? 'early' : now > closesAt ? 'over' : 'open';
  const url = qr ? new URL(qr.url, window.location.origin).toString() : '';
  const accent = phase === 'in' ? '#36cfc9' : '#ffc53d';

  return (
    // Dark controls on the dark screen, big enough to hit on a tablet.
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { fontSize: 18, controlHeightLG: 48 } }}>
      <div className="gz-svc-qr" data-testid="service-qr-display" data-phase={phase}>
        <header className="gz-svc-qr-head">
          <div>
            <div className="gz-svc-qr-title">{roster?.post.title ?? ' '}</div>
            <div className="gz-svc-qr-sub">{roster ? slotText(roster.slot, i18n.language) : ''}</div>
          </div>
          <div className="gz-svc-qr-tools">
            <Segmented<Phase>
              size="large"
              value={phase}
              onChange={(p) => setParams(p === 'in' ? {} : { phase: p }, { replace: true })}
              options={[
                { value: 'in', label: t('serviceConsole.qr.phase.in') },
                { value: 'out', label: t('serviceConsole.qr.phase.out') },
              ]}
              data-testid="service-qr-phase"
            />
            <Button
              size="large"
              icon={full ? <FullscreenExitOutlined aria-hidden /> : <FullscreenOutlined aria-hidden />}
              onClick={() =>
                void (full ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(
                  () => undefined,
                )
              }
            >
              {full ? t('serviceConsole.qr.exitFull') : t('serviceConsole.qr.full')}
            </Button>
          </div>
        </header>

        {(qrError || cancelled) && (
          <div className="gz-svc-qr-error" role="alert" data-testid="service-qr-error">
            {cancelled
              ? t('serviceConsole.qr.cancelled')
              : `${qrError?.text} ${qrError?.final ? '' : t('serviceConsole.qr.retrying')}`}
          </div>
        )}
        {!qrError && !cancelled && scanWindow !== 'open' && roster && (
          <div className="gz-svc-qr-note" data-testid="service-qr-window">
            {scanWindow === 'early'
              ? t('serviceConsole.qr.opensAt', {
                  at: whenText(new Date(opensAt).toISOString()),
                  early: CHECK_IN_EARLY_MINUTES,
                })
              : t('serviceConsole.qr.closed', { late: CHECK_OUT_LATE_MINUTES })}
          </div>
        )}

        <main className="gz-svc-qr-main">
          <div className="gz-svc-qr-code" style={{ opacity: qr && !cancelled ? 1 : 0.15 }}>
            {qr ? (
              <QRCodeSVG value={url} size={512} level="M" marginSize={2} data-testid="service-qr-svg" />
            ) : (
              <div style={{ width: '100%', aspectRatio: '1' }} />
            )}
          </div>
          <div className="gz-svc-qr-side">
            <div className="gz-svc-qr-phase" style={{ color: accent }}>
              {t(`serviceConsole.qr.phaseBig.${phase}`)}
            </div>
            <div className="gz-svc-qr-digits" data-testid="service-qr-digits" data-digits={qr?.digits}>
              {qr ? `${qr.digits.slice(0, 3)} ${qr.digits.slice(3)}` : '··· ···'}
            </div>
            {qr && <Countdown left={left} accent={accent} />}
            <div className="gz-svc-qr-how">{t('serviceConsole.qr.how')}</div>
          </div>
        </main>

        <footer className="gz-svc-qr-foot" data-testid="service-qr-count">
          <span>
            {t('serviceConsole.qr.checkedIn')} <b style={{ color: '#36cfc9' }}>{checkedIn}</b>
          </span>
          <span>
            {t('serviceConsole.qr.checkedOut')} <b style={{ color: '#ffc53d' }}>{checkedOut}</b>
          </span>
          <span>
            {t('serviceConsole.qr.holding')} <b>{holding}</b>
            {roster ? ` / ${roster.slot.capacity}` : ''}
          </span>
          {rosterError && rosterError !== qrError?.text && (
            <span className="gz-svc-qr-warn">{rosterError}</span>
          )}
        </footer>
      </div>
    </ConfigProvider>
  );
}

/** "06:30" today, "2026-12-01 06:30" another day. */
function whenText(iso: string) {
  return dateOf(iso) === dateOf(new Date().toISOString()) ? timeOf(iso) : `${dateOf(iso)} ${timeOf(iso)}`;
}

/** A ring that empties until the code changes, with the seconds left in its middle. */
function Countdown({ left, accent }: { left: number; accent: string }) {
  const { t } = useTranslation();
  const r = 44;
  const c = 2 * Math.PI * r;
  const frac = Math.min(1, left / QR_WINDOW_SECONDS);
  return (
    <div className="gz-svc-qr-count" data-testid="service-qr-countdown">
      <svg viewBox="0 0 100 100" width="100%" height="100%" aria-hidden>
        <circle cx="50" cy="50" r={r} fill="none" stroke="rgba(255,255,255,0.15)" strokeWidth="7" />
        <circle
          cx="50"
          cy="50"
          r={r}
          fill="none"
          stroke={accent}
          strokeWidth="7"
          strokeLinecap="round"
          strokeDasharray={c}
          strokeDashoffset={c * (1 - frac)}
          transform="rotate(-90 50 50)"
          style={{ transition: 'stroke-dashoffset 0.2s linear' }}
        />
        <text x="50" y="57" textAnchor="middle" fontSize="26" fill="#fff" fontWeight="600">
          {Math.ceil(left)}
        </text>
      </svg>
      <span>{t('serviceConsole.qr.changesIn', { s: Math.ceil(left) })}</span>
    </div>
  );
}
