import { Button, Card, ErrorBlock, PullToRefresh, Skeleton } from 'antd-mobile';
import { CameraOutline, FileOutline, RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type CompoundView, myCompounds } from '../api/index.ts';
import { useMe } from '../ui/session.tsx';
import { useLoad } from '../ui/useLoad.ts';

/** 首页: a greeting and "my compound" card(s). */
export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const compounds = useLoad(() => myCompounds(), []);

  return (
    <PullToRefresh onRefresh={async () => compounds.reload()}>
      <header className="m-hero">
        <h1>{t('m.hello', { name: me.name })}</h1>
        <p>{t('app.slogan')}</p>
      </header>
      <nav className="m-section m-entries" aria-label={t('report.title')}>
        <Link to="/report" className="m-entry m-entry-main" data-testid="entry-report">
          <CameraOutline className="m-entry-icon" aria-hidden />
          <span className="m-entry-text">
            <span className="m-entry-title">{t('report.entryTitle')}</span>
            <span className="m-entry-hint">{t('report.entryHint')}</span>
          </span>
          <RightOutline aria-hidden />
        </Link>
        <Link to="/tickets" className="m-entry" data-testid="entry-tickets">
          <FileOutline className="m-entry-icon" aria-hidden />
          <span className="m-entry-text">
            <span className="m-entry-title">{t('report.myTickets')}</span>
            <span className="m-entry-hint">{t('report.myTicketsHint')}</span>
          </span>
          <RightOutline aria-hidden />
        </Link>
      </nav>
      <h2 className="m-section-title m-section-title-pad" id="my-compound">
        {t('m.myCompound')}
      </h2>
      <section className="m-section m-section-flat" aria-labelledby="my-compound">
        {compounds.error ? (
          <div className="m-empty">
            <ErrorBlock status="disconnected" title={t('m.loadFailed')} description={compounds.error} />
            <Button color="primary" size="large" className="m-btn-big" onClick={compounds.reload}>
              {t('m.retry')}
            </Button>
          </div>
        ) : compounds.data === undefined ? (
          <Card className="m-card">
            <Skeleton.Title animated />
            <Skeleton.Paragraph lineCount={3} animated />
          </Card>
        ) : compounds.data.length === 0 ? (
          <div className="m-empty" data-testid="no-compound">
            <ErrorBlock status="empty" title="" description="" style={{ '--image-height': '120px' }} />
            <div className="m-empty-title">{t('m.noCompound')}</div>
            <div className="m-empty-hint">{t('m.noCompoundHint')}</div>
          </div>
        ) : (
          compounds.data.map((c) => <CompoundCard key={c.id} c={c} />)
        )}
      </section>
    </PullToRefresh>
  );
}

function CompoundCard({ c }: { c: CompoundView }) {
  const { t } = useTranslation();
  return (
    <Card className="m-card" title={c.name} data-testid="compound-card">
      <div className="m-row">
        <span className="m-row-label">{t('m.community')}</span>
        <span className="m-row-value">{c.regionLabel || c.communityName}</span>
      </div>
      <div className="m-row">
        <span className="m-row-label">{t('m.grid')}</span>
        <span className="m-row-value">{c.gridName}</span>
      </div>
      <div className="m-row">
        <span className="m-row-label">{t('m.buildings')}</span>
        <span className="m-row-value">{t('m.buildingCount', { count: c.buildingCount })}</span>
      </div>
      {c.address && (
        <div className="m-row">
          <span className="m-row-label">{t('geo.address')}</span>
          <span className="m-row-value">{c.address}</span>
        </div>
      )}
    </Card>
  );
}
