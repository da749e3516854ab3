import { Button, DotLoading, PullToRefresh, Tabs } from 'antd-mobile';
import { AddOutline, MessageOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useOutletContext, useSearchParams } from 'react-router-dom';
import { listTickets, type TicketSummary } from '../../api/index.ts';
import { useMe } from '../../ui/session.tsx';
import { canPatrol } from '../../ui/tickets.ts';
import { useCursorList } from '../../ui/useCursorList.ts';
import { LoadFailed, StatusTag, useShortTime } from './parts.tsx';

type View = 'mine' | 'neighbours';
const PAGE = 20;

/** 我的诉求: mine and my neighbours' public ones, newest first, with "加载更多". */
export function TicketsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'neighbours' ? 'neighbours' : 'mine';
  const [tick, setTick] = useState(0);
  // Unread notices, from the tab layout.
  const unread = useOutletContext<number | undefined>() ?? 0;
  const list = useCursorList((cursor) => listTickets({ view, cursor, limit: PAGE }), [view, tick]);
  // A grid worker's new report is a patrol report (随手拍 stays on the home page).
  const newReport = canPatrol(useMe())
    ? { to: '/patrol', label: t('patrol.short') }
    : { to: '/report', label: t('mticket.report') };

  return (
    <div className="m-tickets">
      <header className="m-page-head">
        <h1>{t('mticket.title')}</h1>
        <span className="m-head-actions">
          <Link to="/notices" className="m-head-action m-head-action-plain" data-testid="notices-link">
            <MessageOutline aria-hidden /> {t('notice.link')}
            {unread > 0 && <span className="m-head-count">{unread > 99 ? '99+' : unread}</span>}
          </Link>
          <Link to={newReport.to} className="m-head-action" data-testid="tickets-new">
            <AddOutline /> {newReport.label}
          </Link>
        </span>
      </header>
      <Tabs
        activeKey={view}
        onChange={(k) => setParams(k === 'mine' ? {} : { view: k }, { replace: true })}
        className="m-tabs-big"
      >
        <Tabs.Tab title={t('mticket.tabMine')} key="mine" />
        <Tabs.Tab title={t('mticket.tabNeighbours')} key="neighbours" />
      </Tabs>
      <PullToRefresh onRefresh={async () => setTick((n) => n + 1)}>
        <section className="m-section m-section-flat" data-testid="ticket-list">
          {list.error && <LoadFailed error={list.error} onRetry={() => setTick((n) => n + 1)} />}
          {!list.error && !list.loading && list.items.length === 0 && (
            <div className="m-empty">
              <div className="m-empty-title">
                {view === 'mine' ? t('mticket.empty') : t('mticket.neighboursEmpty')}
              </div>
              {view === 'mine' && (
                <>
                  <div className="m-empty-hint">{t('mticket.emptyHint')}</div>
                  <Link to={newReport.to} className="m-link-btn m-link-btn-primary" style={{ marginTop: 16 }}>
                    {newReport.label}
                  </Link>
                </>
              )}
            </div>
          )}
          {list.items.map((x) => (
            <TicketCard key={x.id} ticket={x} />
          ))}
          {list.loading && (
            <div className="m-loading-more">
              <DotLoading color="primary" /> {t('common.loading')}
            </div>
          )}
          {!list.loading && list.more && (
            <Button block size="large" className="m-btn-big" onClick={list.more}>
              {t('common.loadMore')}
            </Button>
          )}
          {!list.loading && !list.more && list.items.length > 0 && (
            <div className="m-no-more">{t('common.noMore')}</div>
          )}
        </section>
      </PullToRefresh>
    </div>
  );
}

function TicketCard({ ticket: x }: { ticket: TicketSummary }) {
  const { t } = useTranslation();
  const time = useShortTime();
  return (
    <Link to={`/tickets/${x.id}`} className="m-ticket-card" data-testid="ticket-card" data-number={x.number}>
      <div className="m-ticket-top">
        <StatusTag status={x.status} />
        {x.overdue && <span className="m-badge-overdue">{t('ticket.overdue')}</span>}
        {x.urgent && <span className="m-badge-urgent">{t('ticket.urgent')}</span>}
        <span className="m-ticket-date">{time(x.createdAt)}</span>
      </div>
      <div className="m-ticket-item">{x.itemName ?? t('ticket.noItem')}</div>
      <div className="m-ticket-desc">{x.description}</div>
      <div className="m-ticket-meta">
        <span>{x.placeLabel}</span>
      </div>
      <div className="m-ticket-number">
        {t('ticket.number')} {x.number}
      </div>
    </Link>
  );
}
