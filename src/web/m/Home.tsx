import { Button, Card, ErrorBlock, PullToRefresh, Skeleton } from 'antd-mobile';
import { CameraOutline, FileOutline, HeartOutline, RightOutline, TeamOutline } from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type CompoundView, myCompounds, myParty } from '../api/index.ts';
import { useMe } from '../ui/session.tsx';
import { canPatrol } from '../ui/tickets.ts';
import { type Loaded, useLoad } from '../ui/useLoad.ts';
import { useGridCompounds } from './tickets/useGridCompounds.ts';

/** 首页: a greeting, the report entries, and "my compound" card(s) (a grid worker's: their grid). */
export function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const patrol = canPatrol(me);
  const compounds = useLoad(() => myCompounds(), []);
  const grid = useGridCompounds(patrol);
  // Party members on a ledger serve where they live: their entry to 志愿服务.
  const party = useLoad(() => myParty(), []);
  // A grid worker who lives elsewhere has no compound of their own: no "not linked yet" for them.
  const showMine = !patrol || (compounds.data?.length ?? 0) > 0 || !!compounds.error;

  return (
    <PullToRefresh
      onRefresh={async () => {
        compounds.reload();
        grid.reload();
      }}
    >
      <header className="m-hero">
        <h1>{t('m.hello', { name: me.name })}</h1>
        <p>{t('app.slogan')}</p>
      </header>
      <nav className="m-section m-entries" aria-label={t('report.title')}>
        {patrol && (
          // On duty first: the worker's own entry is the big one.
          <Link to="/patrol" className="m-entry m-entry-main" data-testid="entry-patrol">
            <TeamOutline className="m-entry-icon" aria-hidden />
            <span className="m-entry-text">
              <span className="m-entry-title">{t('patrol.entryTitle')}</span>
              <span className="m-entry-hint">{t('patrol.entryHint')}</span>
            </span>
            <RightOutline aria-hidden />
          </Link>
        )}
        <Link to="/report" className={patrol ? 'm-entry' : 'm-entry m-entry-main'} data-testid="entry-report">
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
        {party.data?.member && (
          <Link to="/service" className="m-entry" data-testid="m-service-home-entry">
            <HeartOutline className="m-entry-icon" aria-hidden />
            <span className="m-entry-text">
              <span className="m-entry-title">{t('service.entry')}</span>
              <span className="m-entry-hint">{t('service.entryHint')}</span>
            </span>
            <RightOutline aria-hidden />
          </Link>
        )}
      </nav>
      {patrol && (
        <>
          <h2 className="m-section-title m-section-title-pad" id="my-grid">
            {t('patrol.myGrid')}
          </h2>
          <section className="m-section m-section-flat" aria-labelledby="my-grid" data-testid="my-grid">
            <Compounds list={grid} empty={<div className="m-empty-title">{t('patrol.noGridPlaces')}</div>} />
          </section>
        </>
      )}
      {showMine && (
        <>
          <h2 className="m-section-title m-section-title-pad" id="my-compound">
            {t('m.myCompound')}
          </h2>
          <section className="m-section m-section-flat" aria-labelledby="my-compound">
            <Compounds
              list={compounds}
              empty={
                <>
                  <ErrorBlock status="empty" title="" description="" style={{ '--image-height': '120px' }} />
                  <div className="m-empty-title">{t('m.noCompound')}</div>
                  <div className="m-empty-hint">{t('m.noCompoundHint')}</div>
                </>
              }
            />
          </section>
        </>
      )}
    </PullToRefresh>
  );
}

/** Compound cards, or a skeleton while they load, what went wrong, or `empty`. */
function Compounds({ list, empty }: { list: Loaded<CompoundView[]>; empty: ReactNode }) {
  const { t } = useTranslation();
  if (list.error)
    return (
      <div className="m-empty">
        <ErrorBlock status="disconnected" title={t('m.loadFailed')} description={list.error} />
        <Button color="primary" size="large" className="m-btn-big" onClick={list.reload}>
          {t('m.retry')}
        </Button>
      </div>
    );
  if (list.data === undefined)
    return (
      <Card className="m-card">
        <Skeleton.Title animated />
        <Skeleton.Paragraph lineCount={3} animated />
      </Card>
    );
  if (list.data.length === 0)
    return (
      <div className="m-empty" data-testid="no-compound">
        {empty}
      </div>
    );
  return (
    <>
      {list.data.map((c) => (
        <CompoundCard key={c.id} c={c} />
      ))}
    </>
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
