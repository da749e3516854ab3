import { Button, Card, ErrorBlock, NavBar, SpinLoading, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { myCertificatePdfUrl, myCertificates } from '../../api/service-targets.ts';
import { useLoad } from '../../ui/useLoad.ts';

/** 我的服务证明: the certificates the community issued me, each opening as a PDF. */
export function CertificatesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const list = useLoad(() => myCertificates(), []);
  const back = () => (location.key === 'default' ? navigate('/mine') : navigate(-1));

  return (
    <div className="m-app">
      <NavBar onBack={back} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('serviceTargets.m.certificates')}</span>
      </NavBar>
      <div className="m-body" style={{ padding: 12 }} data-testid="m-certificates">
        {list.loading && !list.data && (
          <div className="m-center">
            <SpinLoading color="primary" />
          </div>
        )}
        {list.error && <ErrorBlock status="default" title={list.error} description="" />}
        {list.data?.length === 0 && (
          <div className="m-empty">
            <div className="m-empty-title">{t('serviceTargets.m.certificatesEmpty')}</div>
            <div className="m-empty-hint">{t('serviceTargets.m.certificatesHint')}</div>
          </div>
        )}
        {list.data?.map((c) => (
          <Card
            key={c.id}
            style={{ borderRadius: 12, marginBottom: 12 }}
            title={
              <span style={{ fontSize: 18 }}>
                {t('serviceTargets.periodValue', { from: c.periodFrom, to: c.periodTo })}
              </span>
            }
            extra={
              <Tag
                color={c.status === 'valid' ? 'success' : 'danger'}
                style={{ fontSize: 15, padding: '3px 8px' }}
              >
                {c.status === 'valid' ? t('serviceTargets.valid') : t('serviceTargets.revoked')}
              </Tag>
            }
            data-testid="m-certificate"
          >
            <div style={{ fontSize: 26, fontWeight: 700, margin: '2px 0 6px' }}>
              {t('serviceTargets.m.summary', { times: c.times, hours: c.hours })}
            </div>
            <div style={{ fontSize: 16, color: '#555', lineHeight: 1.6 }}>{c.content}</div>
            <div style={{ fontSize: 15, color: '#888', marginTop: 8 }}>
              {c.issuer} · {t('serviceTargets.number')} {c.number}
            </div>
            {c.status === 'revoked' && c.revokeReason && (
              <div style={{ fontSize: 15, color: '#c8161d', marginTop: 4 }}>{c.revokeReason}</div>
            )}
            <a
              href={myCertificatePdfUrl(c.id)}
              target="_blank"
              rel="noreferrer"
              className="adm-button adm-button-primary adm-button-fill-outline adm-button-block adm-button-large"
              style={{ marginTop: 12, display: 'block', textAlign: 'center', textDecoration: 'none' }}
            >
              {t('serviceTargets.m.view')}
            </a>
          </Card>
        ))}
        <Button
          fill="none"
          color="primary"
          block
          onClick={() => navigate('/verify')}
          style={{ marginTop: 8 }}
        >
          {t('serviceTargets.m.verifyTitle')}
        </Button>
      </div>
    </div>
  );
}
