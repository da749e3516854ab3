import { Button, NavBar, SpinLoading } from 'antd-mobile';
import { ScanningOutline } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, errorText } from '../../api/client.ts';
import { attendService, type RecordView } from '../../api/service.ts';
import { AttendError, AttendResult, type Phase, phaseOfToken } from './parts.tsx';

/** The answer, kept in the history entry: a record, or the reason with the server's code. */
type Outcome = { record: RecordView; phase: Phase } | { error: string; code: string };

// One request per scanned token, however often the page mounts (React's strict mode, a re-render).
const sent = new Map<string, Promise<RecordView>>();

/**
 * 扫码签到 at /m/service/scan?t=<token>: the organiser's QR holds this address, so the phone's own
 * camera opens it. The token is sent once; the answer replaces the address (without the token)
 * so that reloading the page shows the same answer instead of sending the code again. A member
 * who is not signed in comes back here after logging in (the login keeps the query).
 */
export function ScanPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const token = params.get('t');
  const kept = location.state as Outcome | null;
  const [outcome, setOutcome] = useState<Outcome | null>(
    kept && ('record' in kept || 'error' in kept) ? kept : null,
  );

  useEffect(() => {
    if (!token) return;
    let p = sent.get(token);
    if (!p) {
      p = attendService({ token });
      sent.set(token, p);
    }
    let live = true;
    p.then(
      (record) => {
        const o: Outcome = { record, phase: phaseOfToken(token) };
        if (live) setOutcome(o);
        navigate('/service/scan', { replace: true, state: o });
      },
      (e: unknown) => {
        sent.delete(token);
        // Signed out meanwhile: the app shows the login, which brings the member back to this address.
        if (e instanceof ApiError && e.status === 401) return;
        const o: Outcome = { error: errorText(e), code: e instanceof ApiError ? e.code : 'unknown' };
        if (live) setOutcome(o);
        navigate('/service/scan', { replace: true, state: o });
      },
    );
    return () => {
      live = false;
    };
  }, [token, navigate]);

  const busy = token !== null && outcome === null;
  // A stale or misread code: the next one, or its digits typed, will do. Other refusals (not open
  // yet, no place on the slot) are explained by the message itself.
  const stale = outcome !== null && 'error' in outcome && outcome.code === 'service.code_invalid';
  return (
    <div className="m-app">
      <NavBar
        onBack={() => navigate('/service', { replace: true })}
        backIcon
        style={{ background: '#fff', '--height': '52px' }}
      >
        <span style={{ fontSize: 19 }}>{t('service.scanTitle')}</span>
      </NavBar>
      <div className="m-body m-svc-scan" data-testid="m-service-scan-page">
        {busy && (
          <div className="m-svc-result" role="status" data-testid="m-service-scan-busy">
            <SpinLoading color="primary" style={{ '--size': '56px', margin: '0 auto' }} />
            <h2 className="m-svc-result-title">{t('service.sending')}</h2>
          </div>
        )}
        {outcome &&
          ('error' in outcome ? <AttendError message={outcome.error} /> : <AttendResult {...outcome} />)}
        {!busy && !outcome && (
          <div className="m-svc-result" data-testid="m-service-scan-none">
            <ScanningOutline className="m-svc-result-icon m-svc-result-icon-plain" aria-hidden />
            <h2 className="m-svc-result-title">{t('service.scanNone')}</h2>
            <p className="m-svc-result-hint">{t('service.scanWithCamera')}</p>
          </div>
        )}
        {!busy && (
          <div className="m-done-actions m-svc-scan-actions">
            {stale && (
              <p className="m-svc-result-hint" style={{ margin: 0 }}>
                {t('service.scanFailedHint')}
              </p>
            )}
            <Button
              block
              color="primary"
              size="large"
              className="m-btn-big"
              onClick={() => navigate('/service?tab=mine')}
              data-testid="m-service-scan-to-mine"
            >
              {stale ? t('service.typeInstead') : t('service.toMine')}
            </Button>
            <Button block size="large" className="m-btn-big" onClick={() => navigate('/')}>
              {t('service.home')}
            </Button>
          </div>
        )}
      </div>
    </div>
  );
}
