import { Button, Card, ErrorBlock, Input, NavBar, SpinLoading } from 'antd-mobile';
import { CheckCircleFill, CloseCircleFill } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../../api/client.ts';
import { type PublicCertificate, verifyCertificate } from '../../api/service-targets.ts';

/**
 * 服务证明核验 (/m/verify/:number): anyone, signed in or not, checks a certificate by the number
 * printed on it, and sees only what the public check returns (masked name, figures, issuer).
 */
export function VerifyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { number: fromUrl } = useParams();
  const [typed, setTyped] = useState(fromUrl ?? '');
  const [state, setState] = useState<{
    loading: boolean;
    error: string | null;
    cert: PublicCertificate | null;
  }>({
    loading: Boolean(fromUrl),
    error: null,
    cert: null,
  });

  useEffect(() => {
    if (!fromUrl) return;
    let live = true;
    setTyped(fromUrl);
    setState({ loading: true, error: null, cert: null });
    verifyCertificate(fromUrl)
      .then((cert) => live && setState({ loading: false, error: null, cert }))
      .catch((e) => live && setState({ loading: false, error: errorText(e), cert: null }));
    return () => {
      live = false;
    };
  }, [fromUrl]);

  const c = state.cert;
  const rows: [string, string][] = c
    ? [
        [t('serviceTargets.holder'), c.name],
        [t('serviceTargets.period'), t('serviceTargets.periodValue', { from: c.periodFrom, to: c.periodTo })],
        [t('serviceTargets.times'), String(c.times)],
        [t('serviceTargets.hours'), String(c.hours)],
        [t('serviceTargets.issuer'), c.issuer],
        [t('serviceTargets.m.issuedOn'), c.issuedOn],
        ...(c.revokedOn ? ([[t('serviceTargets.m.revokedOn'), c.revokedOn]] as [string, string][]) : []),
      ]
    : [];

  return (
    <div className="m-app">
      <NavBar backIcon={false} style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('serviceTargets.m.verifyTitle')}</span>
      </NavBar>
      <div className="m-body" style={{ padding: 12 }} data-testid="m-verify">
        <p style={{ fontSize: 16, color: '#555', margin: '4px 4px 12px', lineHeight: 1.6 }}>
          {t('serviceTargets.m.verifyIntro')}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = typed.trim().toUpperCase().replace(/\s+/g, '');
            if (n) navigate(`/verify/${encodeURIComponent(n)}`);
          }}
          style={{ display: 'flex', gap: 8, marginBottom: 16 }}
        >
          <div style={{ flex: 1, background: '#fff', borderRadius: 8, padding: '10px 12px' }}>
            <Input
              value={typed}
              onChange={setTyped}
              placeholder={t('serviceTargets.m.verifyPlaceholder')}
              clearable
              style={{ '--font-size': '18px' }}
              aria-label={t('serviceTargets.number')}
              data-testid="m-verify-input"
            />
          </div>
          <Button color="primary" type="submit" size="large" data-testid="m-verify-submit">
            {t('serviceTargets.m.verify')}
          </Button>
        </form>
        {state.loading && (
          <div className="m-center">
            <SpinLoading color="primary" />
          </div>
        )}
        {state.error && <ErrorBlock status="default" title={state.error} description="" />}
        {c && (
          <Card style={{ borderRadius: 12 }} data-testid="m-verify-result">
            <div
              style={{
                display: 'flex',
                alignItems: 'center',
                gap: 10,
                fontSize: 22,
                fontWeight: 700,
                color: c.status === 'valid' ? '#389e0d' : '#c8161d',
                marginBottom: 8,
              }}
            >
              {c.status === 'valid' ? <CheckCircleFill aria-hidden /> : <CloseCircleFill aria-hidden />}
              {c.status === 'valid' ? t('serviceTargets.m.validTitle') : t('serviceTargets.m.revokedTitle')}
            </div>
            <div style={{ fontSize: 15, color: '#888', marginBottom: 8 }}>
              {t('serviceTargets.number')} {c.number}
            </div>
            {rows.map(([label, value]) => (
              <div
                key={label}
                style={{
                  display: 'flex',
                  justifyContent: 'space-between',
                  padding: '8px 0',
                  borderTop: '1px solid #f2f2f2',
                  fontSize: 17,
                }}
              >
                <span style={{ color: '#666' }}>{label}</span>
                <span style={{ fontWeight: 500, textAlign: 'right' }}>{value}</span>
              </div>
            ))}
            <div style={{ fontSize: 14, color: '#999', marginTop: 8 }}>
              {t('serviceTargets.m.verifyNote')}
            </div>
          </Card>
        )}
      </div>
    </div>
  );
}
